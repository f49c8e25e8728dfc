import { createHash } from 'node:crypto';

/**
 * The audit hash chain's pure parts. Each tenancy's events form one chain (events without a
 * tenancy form the `platform` chain); event n stores the hash of event n-1, and its own hash
 * covers its fields, its seq and that previous hash. Changing, removing or reordering any
 * event breaks every later link, which `verifyChain` reports.
 */
export const PLATFORM_CHAIN = 'platform';
/** The previous hash of a chain's first event. */
export const GENESIS_HASH = '0'.repeat(64);
/**
 * Events per bucket: a chain is read by bucket (equality is all FerretDB pushes down). Small
 * enough that a stream which is caught up re-reads little of its current bucket (FerretDB
 * spends ~0.2 ms of CPU per document returned), large enough that a catch-up needs few queries
 * (~1 ms each).
 */
export const BUCKET_SIZE = 100;

/**
 * How long after its `at` an event is stored, at most: the writer restamps an event that waited
 * longer (lib/audit-chain/append.ts). Chain order and time order then differ by less than this,
 * which is what lets a search read a chain newest first (lib/audit-search-chain.ts).
 */
export const STORED_WITHIN_MS = 60_000;

export const chainOf = (tenantId: string | undefined | null) => tenantId || PLATFORM_CHAIN;
export const linkKey = (chain: string, seq: number) => `${chain}:${seq}`;
export const bucketKey = (chain: string, seq: number) => `${chain}:${Math.floor(seq / BUCKET_SIZE)}`;

/** The fields an event is hashed over, as stored. */
export interface ChainedFields {
  _id: unknown;
  seq: number;
  prevHash: string;
  at: Date;
  action: string;
  outcome: string;
  actor: unknown;
  target?: unknown;
  tenantId?: string;
  ip?: string;
  userAgent?: string;
  details?: unknown;
}

const HASHED: (keyof ChainedFields)[] = [
  '_id',
  'seq',
  'prevHash',
  'at',
  'action',
  'outcome',
  'actor',
  'target',
  'tenantId',
  'ip',
  'userAgent',
  'details',
];

export function eventHash(e: ChainedFields): string {
  const fields = Object.fromEntries(HASHED.map((k) => [k, e[k]]));
  return createHash('sha256').update('entrada-audit-v1\n').update(canonicalJson(fields)).digest('hex');
}

/**
 * JSON with sorted keys, absent and undefined fields alike left out, dates as ISO strings and
 * ObjectIds as hex: the same text for an event before it is stored and after it is read back.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (isObjectId(value)) return JSON.stringify(value.toHexString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== null);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const isObjectId = (v: unknown): v is { toHexString(): string } =>
  typeof v === 'object' && v !== null && (v as { _bsontype?: string })._bsontype === 'ObjectId';

/** Drops undefined fields (deeply), so what is stored is exactly what was hashed. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : compact(v))) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date || isObjectId(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, compact(v)]),
  ) as T;
}
