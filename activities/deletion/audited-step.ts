import { audit } from '../../lib/audit';
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
 */
export async function auditedStep<T extends object>(
  step: DeletionStep,
  name: string,
  run: () => Promise<T>,
  target: { type: string; id: string } = { type: 'user', id: step.userId },
): Promise<T & { auditEventId: string }> {
  const stepKey = `${step.workflowId}:${name}`;
  const done = await AuditEventModel.findOne({ 'target.id': target.id, 'details.stepKey': stepKey }).lean();
  if (done) return { ...(done.details.result as T), auditEventId: String(done._id) };

  const result = await run();
  const auditEventId = await audit({
    action: `user.deletion.${name.split(':')[0]}`,
    outcome: 'success',
    actor: auditActor(step.requestedBy),
    target,
    tenantId: step.tenantId ?? undefined,
    details: { stepKey, workflowId: step.workflowId, userId: step.userId, reason: step.requestedBy.reason, result },
  });
  return { ...result, auditEventId };
}
