import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { AuditActionModel } from './models/audit-action';
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
  /** A fixed event ID (auditEventIdFor) for an event that exists at most once. */
  id?: Types.ObjectId;
}

/** The one way anything is audited. Returns the event ID so callers can cite it as evidence. */
export async function audit(input: AuditInput): Promise<string> {
  const { id, ...fields } = input;
  const event = await AuditEventModel.create({
    ...fields,
    ...(id ? { _id: id } : {}),
    actor: input.actor ?? { kind: 'system' },
    at: new Date(),
  });
  await noteAction(input.action);
  return event.id as string;
}

/**
 * The event ID of something audited once, derived from its key: finding it again is an `_id`
 * look-up (indexed everywhere), and a second insert is refused by the unique `_id`.
 */
export const auditEventIdFor = (key: string) => new Types.ObjectId(createHash('sha256').update(key).digest('hex').slice(0, 24));

const noted = new Set<string>();

/** Records the action name once per process (see models/audit-action.ts). */
async function noteAction(action: string): Promise<void> {
  if (noted.has(action)) return;
  await AuditActionModel.create({ _id: action }).catch((err) => {
    if (err?.code !== 11000) throw err;
  });
  noted.add(action);
}

/** Action names for the audit console's picker: those recorded since this list was kept. */
export async function knownActions(): Promise<string[]> {
  return (await AuditActionModel.find({}, { _id: 1 }).lean()).map((a) => a._id).sort();
}
