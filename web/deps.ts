import type { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import type { Mailer } from '../lib/mailer';

/** What the web app is built from; tests pass their own (e.g. a per-file namespace client). */
export interface WebDeps {
  config: Config;
  temporal: Client;
  mailer: Mailer;
}
