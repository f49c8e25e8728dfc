import { AuditEventModel, type AuditOutcome } from './models/audit-event';

export interface AuditInput {
  action: string;
  outcome: AuditOutcome;
  actor?: { kind: 'user' | 'staff' | 'system' | 'anonymous'; userId?: string; email?: string };
  target?: { type: string; id: string };
  tenantId?: string;
  ip?: string;
  userAgent?: string;
  details?: Record<string, unknown>;
}

/** The one way anything is audited. Returns the event ID so callers can cite it as evidence. */
export async function audit(input: AuditInput): Promise<string> {
  const event = await AuditEventModel.create({
    ...input,
    actor: input.actor ?? { kind: 'system' },
    at: new Date(),
  });
  return event.id as string;
}
