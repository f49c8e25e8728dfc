/**
 * One DNS check of a domain proof, with Node's own resolver against the configured servers
 * (DNS_SERVERS; the system's when empty). A TXT record may arrive split in several
 * character-strings (each at most 255 octets): they are joined before comparing. Every DNS
 * failure is an outcome, never an exception: the workflow shows it and checks again later.
 */
import { Resolver } from 'node:dns/promises';
import { TXT_PREFIX, proofRecord, type DnsCheckOutcome } from '../contracts/domain-proof';

export interface DnsCheck {
  outcome: DnsCheckOutcome;
  /** What a person reading the status needs: what was found, or what failed. */
  detail: string;
  ms: number;
}

export interface DnsSettings {
  servers: string[];
  timeoutMs: number;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

const FAILURES: Record<string, [DnsCheckOutcome, string]> = {
  ENOTFOUND: ['nxdomain', 'the domain does not exist in DNS (NXDOMAIN)'],
  ENODATA: ['no-record', 'the domain has no TXT records'],
  ESERVFAIL: ['servfail', 'the DNS server failed to answer (SERVFAIL); checking again later'],
  ETIMEOUT: ['timeout', 'no DNS answer in time; checking again later'],
  ECONNREFUSED: ['unreachable', 'the DNS server refused the connection; checking again later'],
  EREFUSED: ['servfail', 'the DNS server refused the query (REFUSED); checking again later'],
};

export async function checkDomainTxt(domain: string, token: string, settings: DnsSettings): Promise<DnsCheck> {
  const started = Date.now();
  const resolver = new Resolver({ timeout: settings.timeoutMs, tries: 1 });
  if (settings.servers.length) resolver.setServers(settings.servers);
  // Several servers each get the timeout; the check as a whole gets one, then reports a timeout.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), settings.timeoutMs + 250)));
  try {
    const answer = await Promise.race([resolver.resolveTxt(domain), deadline]);
    if (answer === 'deadline') {
      resolver.cancel();
      return { outcome: 'timeout', detail: FAILURES.ETIMEOUT[1], ms: Date.now() - started };
    }
    return {
      ...judge(
        answer.map((strings) => strings.join('')),
        token,
      ),
      ms: Date.now() - started,
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const [outcome, detail] = FAILURES[code] ?? ['servfail', `DNS lookup failed (${code || (err as Error).message}); checking again later`];
    return { outcome, detail, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

function judge(records: string[], token: string): Omit<DnsCheck, 'ms'> {
  const ours = records.filter((r) => r.trim().toLowerCase().startsWith(TXT_PREFIX));
  if (ours.some((r) => r.trim() === proofRecord(token))) return { outcome: 'verified', detail: `found ${proofRecord(token)}` };
  if (ours.length === 0) return { outcome: 'no-record', detail: `no ${TXT_PREFIX}… record among ${records.length} TXT record(s)` };
  const values = ours.map((r) => r.trim().slice(TXT_PREFIX.length));
  if (values.some((v) => !TOKEN_SHAPE.test(v)))
    return { outcome: 'malformed', detail: `a ${TXT_PREFIX}… record is not a token: "${ours[0].slice(0, 80)}"` };
  return { outcome: 'wrong-token', detail: `found ${ours.length} ${TXT_PREFIX}… record(s), none with this domain's token` };
}
