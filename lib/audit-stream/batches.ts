import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ChainEvent } from '../audit-chain/read';
import type { StreamLevel } from '../models/audit-stream';
import { toRow } from './columns';

/**
 * Rows for one POST: at most 1,000,000 bytes of JSON before gzip, so a call stays under the
 * service's 1 MB limit compressed and uncompressed alike. An item keeps its event's seq, so
 * the cursor can move to the last one the workspace accepted.
 */
export const MAX_BATCH_BYTES = 1_000_000;

export interface StreamItem {
  seq: number;
  eventId: string;
  json: string;
}

export const toItems = (events: ChainEvent[], level: StreamLevel): StreamItem[] =>
  events.map((e) => ({ seq: e.seq, eventId: e._id.toHexString(), json: JSON.stringify(toRow(e, level)) }));

/** Consecutive items in batches of at most MAX_BATCH_BYTES of JSON. */
export function packBatches(items: StreamItem[], maxBytes = MAX_BATCH_BYTES): StreamItem[][] {
  const batches: StreamItem[][] = [];
  let current: StreamItem[] = [];
  let size = 2; // the brackets
  for (const item of items) {
    const bytes = Buffer.byteLength(item.json) + 1; // and its comma
    if (current.length && size + bytes > maxBytes) {
      batches.push(current);
      current = [];
      size = 2;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length) batches.push(current);
  return batches;
}

const gzipAsync = promisify(gzip);

/**
 * The batch as gzipped JSON. Off the event loop (zlib's thread pool), so the next events are
 * read and shaped meanwhile; level 1, because a batch is capped before compression anyway and
 * its hashes hardly compress: level 6 costs ~60 % more CPU for ~5 % fewer bytes.
 */
export const gzipBatch = (items: StreamItem[]) => gzipAsync(`[${items.map((i) => i.json).join(',')}]`, { level: 1 });
