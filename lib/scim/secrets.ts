/** Issuing a tenancy's SCIM secret also makes sure its reconciliation Schedule exists. */
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import { ensureReconcileSchedule } from './reconcile-schedule';
import { issueScimToken, type IssuedScimToken, type TokenActor } from './tokens';

export async function issueTenancySecret(
  deps: { config: Config; temporal: Client },
  tenantId: string,
  by: TokenActor,
  opts: { label?: string; overlapMs?: number } = {},
): Promise<IssuedScimToken> {
  const issued = await issueScimToken(tenantId, by, { label: opts.label, overlapMs: opts.overlapMs ?? deps.config.SCIM_TOKEN_OVERLAP });
  await ensureReconcileSchedule(deps.temporal, deps.config, tenantId.toLowerCase());
  return issued;
}
