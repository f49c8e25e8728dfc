/**
 * A burst of `signature-invalid` refusals at a live tenancy: most likely the customer rotated
 * their signing certificate without telling anyone (or Entra did), so the connection refreshes
 * the metadata at once and alerts staff.
 *
 * Counted in the database (every web process sees the same count), as a sliding window: each
 * refusal inserts a row that expires `windowMs` later, and the count is of unexpired rows, so
 * five refusals within any ten minutes are a burst, also across a clock boundary. One signal
 * per window at most (a claim that lapses after it), so a stream of forged posts costs one
 * refresh and one alert per ten minutes.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import { claimUnlessFresh } from '../claims';
import { RateLimitHitModel } from '../models';
import { SIGNATURE_BURST, signatureBurstSignal } from '../contracts/connection';
import { tellConnection } from './signals';

export async function noteSignatureRefusal(
  temporal: Client,
  config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>,
  tenantId: string,
  auditEventId: string,
): Promise<boolean> {
  const k = `signature-invalid:${tenantId}`;
  const now = Date.now();
  await RateLimitHitModel.create({ k, expiresAt: new Date(now + SIGNATURE_BURST.windowMs) });
  const count = await RateLimitHitModel.countDocuments({ k, expiresAt: { $gt: new Date(now) } });
  if (count < SIGNATURE_BURST.count) return false;
  if (!(await claimUnlessFresh(`signature-burst:${tenantId}`, SIGNATURE_BURST.windowMs))) return false;
  await tellConnection(temporal, config, tenantId, signatureBurstSignal, { count, at: new Date(now).toISOString(), auditEventId });
  return true;
}
