import { bucketKey, chainOf, eventHash, GENESIS_HASH, linkKey, type ChainedFields } from '../../lib/audit-chain/hash';

type SeedEvent = Omit<ChainedFields, 'seq' | 'prevHash'> & Record<string, unknown>;

/**
 * Seeded audit events as the app stores them: each in its tenancy's hash chain (lib/audit-chain),
 * with its `seq`, `link`, `bucket` and hashes, so that whatever reads a chain (search, streams,
 * verification) sees a seeded trail as it would a real one. `make(i)` gives event i of `count`,
 * in the order they were written; positions and hashes are computed once, up front.
 */
export function chainedEvents(count: number, make: (i: number) => SeedEvent): (i: number) => Record<string, unknown> {
  const seqs = new Float64Array(count);
  const previous = new Int32Array(count).fill(-1);
  const hashes = Buffer.alloc(count * 32);
  const heads = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const event = make(i);
    const chain = chainOf(event.tenantId);
    const prev = heads.get(chain) ?? -1;
    seqs[i] = prev < 0 ? 1 : seqs[prev] + 1;
    previous[i] = prev;
    hashes.write(eventHash({ ...event, seq: seqs[i], prevHash: hashOf(prev) }), i * 32, 'hex');
    heads.set(chain, i);
  }
  function hashOf(i: number): string {
    return i < 0 ? GENESIS_HASH : hashes.toString('hex', i * 32, i * 32 + 32);
  }
  return (i) => {
    const event = make(i);
    const chain = chainOf(event.tenantId);
    return {
      ...event,
      seq: seqs[i],
      link: linkKey(chain, seqs[i]),
      bucket: bucketKey(chain, seqs[i]),
      prevHash: hashOf(previous[i]),
      hash: hashOf(i),
    };
  };
}
