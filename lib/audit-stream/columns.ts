import type { ChainEvent } from '../audit-chain/read';
import type { StreamLevel } from '../models/audit-stream';
import { eventTypeOf } from './event-types';

/**
 * The columns every stream row and every pull-API item has, in the custom table's order. The
 * same list is the stream declaration of the DCR (docs/sentinel.md) and of the emulator's DCRs.
 * Names follow ASIM where it has one; none is one of Log Analytics' reserved names (below).
 */
export const STREAM_COLUMNS = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'EventId', type: 'string' },
  { name: 'EventType', type: 'string' },
  { name: 'EventOriginalType', type: 'string' },
  { name: 'EventResult', type: 'string' },
  { name: 'EventResultDetails', type: 'string' },
  { name: 'ActorUsername', type: 'string' },
  { name: 'ActorUserId', type: 'string' },
  { name: 'TargetUsername', type: 'string' },
  { name: 'TargetType', type: 'string' },
  { name: 'TargetId', type: 'string' },
  /** Extended level only. */
  { name: 'TargetFileName', type: 'string' },
  { name: 'SrcIpAddr', type: 'string' },
  { name: 'HttpUserAgent', type: 'string' },
  { name: 'EntradaTenantId', type: 'string' },
  /** The event's place in its tenancy's hash chain, its hash and the previous one: the SIEM copy can be verified too. */
  { name: 'EntradaSeq', type: 'long' },
  { name: 'EntradaHash', type: 'string' },
  { name: 'EntradaPrevHash', type: 'string' },
] as const;

export type ColumnName = (typeof STREAM_COLUMNS)[number]['name'];
export type StreamRow = Partial<Record<ColumnName, string | number>>;

/**
 * Column names a custom Log Analytics table may not use (Microsoft's list for custom tables,
 * plus the standard columns every table already has). `TenantId` is the one people reach for;
 * the tenancy is `EntradaTenantId`.
 */
export const RESERVED_COLUMN_NAMES = [
  'id',
  'TenantId',
  'Type',
  'UniqueId',
  'Title',
  '_ResourceId',
  '_SubscriptionId',
  'SourceSystem',
  'MG',
  'ManagementGroupName',
  'Computer',
  'RawData',
  '_ItemId',
  '_IsBillable',
  '_BilledSize',
  '_TimeReceived',
  '_Internal_WorkspaceResourceId',
];

const ipOf = (ip?: string | null) => (ip ? ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1') : undefined);
const text = (v: unknown, max = 1000) => (typeof v === 'string' && v ? v.slice(0, max) : undefined);

/** One audit event as a row of the customer's table. File names only at the extended level. */
export function toRow(e: ChainEvent, level: StreamLevel): StreamRow {
  const d = (e.details ?? {}) as Record<string, unknown>;
  const failed = e.outcome !== 'success';
  const targetIsActor = e.target?.type === 'user' && e.target.id === e.actor?.userId;
  const row: StreamRow = {
    TimeGenerated: e.at.toISOString(),
    EventId: e._id.toHexString(),
    EventType: eventTypeOf(e.action),
    EventOriginalType: e.action,
    EventResult: failed ? 'Failure' : 'Success',
    EventResultDetails: failed ? (text(d.reason) ?? text(d.refusal) ?? e.outcome) : undefined,
    ActorUsername: e.actor?.email ?? e.actor?.kind ?? undefined,
    ActorUserId: e.actor?.userId ?? undefined,
    TargetUsername: targetIsActor ? (e.actor?.email ?? undefined) : (text(d.email) ?? text(d.withEmail)),
    TargetType: e.target?.type ?? undefined,
    TargetId: e.target?.id ?? undefined,
    TargetFileName: level === 'extended' && e.target?.type === 'file' ? (text(d.name) ?? text(d.to)) : undefined,
    SrcIpAddr: ipOf(e.ip),
    HttpUserAgent: text(e.userAgent),
    EntradaTenantId: e.tenantId ?? undefined,
    EntradaSeq: e.seq,
    EntradaHash: e.hash,
    EntradaPrevHash: e.prevHash,
  };
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as StreamRow;
}
