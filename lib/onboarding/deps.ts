import type { Client } from '@temporalio/client';
import type { Config } from '../config';

/** What the onboarding services need: timer lengths, URLs and the secret from config, and a Temporal client. */
export interface OnboardingDeps {
  config: Config;
  temporal: Client;
}
