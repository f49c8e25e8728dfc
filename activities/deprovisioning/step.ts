import { audit } from '../../lib/audit';
import type { DeprovisionInput } from '../../lib/contracts/deprovisioning';

/** What every deprovisioning activity receives: the saga's input and its workflow ID. */
export type DeprovisioningStep = DeprovisionInput & { workflowId: string };

/** Each step of the saga leaves an audit event on the user (and so in the SIEM stream). */
export function auditStep(
  step: DeprovisioningStep,
  name: string,
  details: Record<string, unknown> = {},
  actor: { kind: 'system' | 'staff' | 'user'; email?: string } = { kind: 'system' },
): Promise<string> {
  return audit({
    action: `deprovisioning.${name}`,
    outcome: 'success',
    actor,
    target: { type: 'user', id: step.userId },
    tenantId: step.tenantId,
    details: { workflowId: step.workflowId, scimId: step.scimId, objectId: step.objectId, ...details },
  });
}
