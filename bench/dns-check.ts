/**
 * `npm run bench:dns`: the domain proof's DNS check against the emulator's loopback server,
 * per outcome: p50 / p95 / max milliseconds over ROUNDS checks each. The target is a check
 * under 2 s, or a `timeout` outcome within DNS_TIMEOUT (+250 ms of slack).
 */
import { DnsZones, startDnsServer } from '../emulator/dns/zones';
import { checkDomainTxt } from '../lib/domains/dns-check';

const ROUNDS = Number(process.env.ROUNDS ?? 50);
const TIMEOUT_MS = Number(process.env.DNS_TIMEOUT_MS ?? 1500);
const TOKEN = 'bench_token_0123456789abcdef';

const CASES: Record<string, Parameters<DnsZones['set']>[1] | undefined> = {
  'verified.bench': { txt: [['v=spf1 -all'], [`entrada-verification=${TOKEN.slice(0, 9)}`, TOKEN.slice(9)]] },
  'no-record.bench': { txt: [['google-site-verification=x']] },
  'nxdomain.bench': undefined,
  'servfail.bench': { fault: 'servfail' },
  'timeout.bench': { fault: 'timeout' },
};

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function main() {
  const zones = new DnsZones();
  for (const [name, entry] of Object.entries(CASES)) if (entry) zones.set(name, entry);
  const dns = await startDnsServer(zones);
  console.log(`DNS check, ${ROUNDS} rounds per case, timeout ${TIMEOUT_MS} ms, server ${dns.address}`);
  for (const name of Object.keys(CASES)) {
    // Timeouts take the whole timeout each: fewer rounds say the same.
    const rounds = name.startsWith('timeout') ? Math.min(ROUNDS, 5) : ROUNDS;
    const times: number[] = [];
    const outcomes = new Set<string>();
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const result = await checkDomainTxt(name, TOKEN, { servers: [dns.address], timeoutMs: TIMEOUT_MS });
      times.push(performance.now() - started);
      outcomes.add(result.outcome);
    }
    times.sort((a, b) => a - b);
    const f = (n: number) => n.toFixed(1).padStart(7);
    console.log(
      `${name.padEnd(16)} ${[...outcomes].join(',').padEnd(10)} p50 ${f(quantile(times, 0.5))}  p95 ${f(quantile(times, 0.95))}  max ${f(times.at(-1)!)} ms (${rounds} checks)`,
    );
  }
  await dns.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
