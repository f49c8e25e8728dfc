import { audit, auditEventIdFor } from '../../lib/audit';
import { auditActor } from '../../lib/deletion/requests';
import { AuditEventModel } from '../../lib/models';
import type { DeletionRequester } from '../../lib/contracts/deletion';

/** What every deletion activity receives: whose deletion, which run, who asked. */
export interface DeletionStep {
  userId: string;
  workflowId: string;
  requestedBy: DeletionRequester;
  /** The user's Entra tenant, known once the account is marked (audit + notifications). */
  tenantId?: string | null;
}

/**
 * Runs one step of a deletion at most once to completion, keyed by workflow ID + step name:
 * the step's audit event is written last and records the step's result, so a retry after a
 * crash either redoes the (idempotent) work or, if the step had finished, returns what it
 * recorded. Counts in the audit trail are therefore those of the run that did the work.
 * The event's ID is derived from the step key, so that check is an `_id` look-up.
 */
export async function auditedStep<T extends object>(
  step: DeletionStep,
  name: string,
  run: () => Promise<T>,
  target: { type: string; id: string } = { type: 'user', id: step.userId },
): Promise<T & { auditEventId: string }> {
  const stepKey = `${step.workflowId}:${name}`;
  const id = auditEventIdFor(stepKey);
  const recorded = async () => {
    const done = await AuditEventModel.findById(id).lean();
    return done && { ...(done.details.result as T), auditEventId: String(done._id) };
  };
  const done = await recorded();
  if (done) return done;

  const result = await run();
  const written = await audit({
    id,
    action: `user.deletion.${name.split(':')[0]}`,
    outcome: 'success',
    actor: auditActor(step.requestedBy),
    target,
    tenantId: step.tenantId ?? undefined,
    details: { stepKey, workflowId: step.workflowId, userId: step.userId, reason: step.requestedBy.reason, result },
  }).catch((err) => {
    // Another attempt finished the step meanwhile: its record stands.
    if (err?.code !== 11000) throw err;
    return null;
  });
  return written ? { ...result, auditEventId: written } : (await recorded())!;
}
