import type { Client } from '@temporalio/client';
import type { Config } from '../config';

/** What the audit-stream services need: config (keys, authority, queues) and a Temporal client. */
export interface AuditStreamDeps {
  config: Config;
  temporal: Client;
}
