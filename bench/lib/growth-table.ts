import { round2 } from './stats';

type Latency = { p50: number; p95: number; p99: number };
export interface Measured {
  seedSeconds: number;
  rawPerSecond: number;
  fullPerSecond: number;
  full: Latency;
  half: Latency;
  migration: Latency;
  password: Latency;
  auditSearch: Latency & { events: number };
  sweepMs: number;
  sweepFound: number;
  purge: { files: number; workflowMs: number; purgeMs: number; filesPerSecond: number; exactCounts: boolean; others: number };
  cpuMsPerLogin: Record<string, number>;
}

/** The growth table: one row per measure, one column per size, the large/small ratio and the target. */
export function printTable(results: Record<string, Measured>): void {
  const sizes = Object.keys(results);
  const rows: [string, (m: Measured) => number | string, string, boolean?][] = [
    ['seed (s, this run)', (m) => m.seedSeconds, ''],
    ['raw node-saml (responses/s)', (m) => m.rawPerSecond, ''],
    ['SSO sign-in, full stack (logins/s)', (m) => m.fullPerSecond, ''],
    ['  full stack / raw', (m) => round2(m.fullPerSecond / m.rawPerSecond), '≥ 0.5'],
    ['  p50 / p99 (ms)', (m) => `${m.full.p50} / ${m.full.p99}`, ''],
    ['  at half rate p50 / p99 (ms)', (m) => `${m.half.p50} / ${m.half.p99}`, 'p99 < 100'],
    ['SSO sign-in p50 (ms)', (m) => m.full.p50, 'large ≤ 1.5× small', true],
    ['first sign-in with migration p95 (ms)', (m) => m.migration.p95, '< 300'],
    ['password sign-in p50 (ms)', (m) => m.password.p50, ''],
    ['audit search, first page p50 (ms)', (m) => m.auditSearch.p50, '< 200; large ≤ 2× small', true],
    ['  matching events on the page (max)', (m) => m.auditSearch.events, ''],
    ['stalled-migration sweep (ms)', (m) => m.sweepMs, '< 5000'],
    ['purge of 10k files (files/s)', (m) => m.purge.filesPerSecond, '≥ 1000; large ≥ 0.7× small', true],
    ['  purge step / whole deletion (ms)', (m) => `${m.purge.purgeMs} / ${m.purge.workflowMs}`, ''],
    ['  other files left, counts exact', (m) => `${m.purge.others}, ${m.purge.exactCounts ? 'yes' : 'NO'}`, ''],
    [
      'CPU ms per SSO login: web/worker/ferretdb/pg/client; idle',
      (m) => {
        const { idle, ...used } = m.cpuMsPerLogin;
        return `${Object.values(used).join(' / ')}; ${idle}`;
      },
      '',
    ],
  ];
  const header = ['', ...sizes, ...(sizes.length > 1 ? [`${sizes.at(-1)}/${sizes[0]}`] : []), 'target'];
  const lines = rows.map(([label, get, target, ratio]) => {
    const values = sizes.map((s) => String(get(results[s])));
    const r =
      sizes.length > 1 && ratio
        ? String(round2(Number(get(results[sizes.at(-1)!])) / Number(get(results[sizes[0]]))))
        : sizes.length > 1
          ? ''
          : undefined;
    return [label, ...values, ...(r !== undefined ? [r] : []), target];
  });
  const widths = header.map((_, i) => Math.max(...[header, ...lines].map((l) => (l[i] ?? '').length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  console.log([fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n'));
}
