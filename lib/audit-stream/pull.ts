import { z } from 'zod';
import { parse } from '../accounts/validation';
import { readAfter } from '../audit-chain/read';
import type { StreamLevel } from '../models';
import { toRow, type StreamRow } from './columns';

/**
 * The pull API's page: a tenancy's events after a cursor, oldest first, as the stream's rows.
 * The cursor is the event's place in the tenancy's chain (`EntradaSeq`): pages are stable,
 * never skip an event written late, and a poller only keeps the last `nextCursor`.
 */
const querySchema = z.object({
  after: z
    .preprocess(
      (v) => (v === '' || v === undefined ? '0' : v),
      z.string().regex(/^\d{1,15}$/, 'after: expected a cursor (the nextCursor of the previous page, or 0)'),
    )
    .transform(Number),
  limit: z.preprocess(
    (v) => (v === '' || v === undefined ? '100' : v),
    z.coerce
      .number({ error: 'limit: expected 1 to 1000' })
      .int('limit: expected 1 to 1000')
      .min(1, 'limit: expected 1 to 1000')
      .max(1000, 'limit: expected 1 to 1000'),
  ),
});

export interface PullPage {
  events: StreamRow[];
  /** Where the next page starts: this page's last cursor, or the request's when it was empty. */
  nextCursor: string;
  /** Whether more events were already waiting when this page was read. */
  more: boolean;
}

export async function pullEvents(tenantId: string, level: StreamLevel, query: unknown): Promise<PullPage> {
  const { after, limit } = parse(querySchema, query);
  const events = await readAfter(tenantId, after, limit + 1);
  const page = events.slice(0, limit);
  return {
    events: page.map((e) => toRow(e, level)),
    nextCursor: String(page.length ? page[page.length - 1].seq : after),
    more: events.length > limit,
  };
}
