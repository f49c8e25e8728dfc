import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { appendToChain } from './audit-chain/append';
import { compact } from './audit-chain/hash';
import { AuditActionModel } from './models/audit-action';
import type { AuditOutcome } from './models/audit-event';

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

/**
 * The one way anything is audited. The event gets its stable ID and its place in its
 * tenancy's hash chain (lib/audit-chain). Returns the event ID so callers can cite it as
 * evidence. An event with a fixed `id` that already exists is refused with the duplicate-key
 * error (code 11000), and takes no place in the chain.
 */
export async function audit(input: AuditInput): Promise<string> {
  const event = compact({
    _id: input.id ?? new Types.ObjectId(),
    at: new Date(),
    action: input.action,
    outcome: input.outcome,
    actor: input.actor ?? { kind: 'system' as const },
    target: input.target,
    tenantId: input.tenantId?.toLowerCase() || undefined,
    ip: input.ip,
    userAgent: input.userAgent,
    details: input.details,
  });
  await appendToChain(event, input.id !== undefined);
  await noteAction(input.action);
  return event._id.toHexString();
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
