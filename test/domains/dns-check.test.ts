import { afterAll, beforeAll, expect, test } from 'vitest';
import { DnsZones, startDnsServer, type RunningDns } from '../../emulator/dns/zones';
import { checkDomainTxt } from '../../lib/domains/dns-check';

/** Node's resolver against a real authoritative server on loopback (the emulator's), one outcome per row. */

const TOKEN = 'tok_0123456789abcdefXYZ';
const zones = new DnsZones();
let dns: RunningDns;
const check = (domain: string, timeoutMs = 800) => checkDomainTxt(domain, TOKEN, { servers: [dns.address], timeoutMs });

beforeAll(async () => {
  dns = await startDnsServer(zones);
  zones.set('plain.test', { txt: [['v=spf1 -all'], [`entrada-verification=${TOKEN}`]] });
  // A long record split in several character-strings, as DNS providers publish them.
  zones.set('split.test', { txt: [['entrada-verif', `ication=${TOKEN.slice(0, 5)}`, TOKEN.slice(5)]] });
  zones.set('other.test', { txt: [['entrada-verification=someone_elses_token_1234']] });
  zones.set('garbled.test', { txt: [['entrada-verification=<paste token here>']] });
  zones.set('bare.test', { txt: [['google-site-verification=abc']] });
  zones.set('empty.test', { txt: [] });
  zones.set('broken.test', { fault: 'servfail' });
  zones.set('silent.test', { fault: 'timeout' });
});
afterAll(() => dns.close());

test.each([
  ['plain.test', 'verified', /found entrada-verification=/],
  ['split.test', 'verified', /found/],
  ['other.test', 'wrong-token', /none with this domain's token/],
  ['garbled.test', 'malformed', /is not a token/],
  ['bare.test', 'no-record', /among 1 TXT record/],
  ['empty.test', 'no-record', /has no TXT records/],
  ['missing.test', 'nxdomain', /NXDOMAIN/],
  ['broken.test', 'servfail', /SERVFAIL/],
  ['silent.test', 'timeout', /no DNS answer in time/],
] as const)('%s → %s', async (domain, outcome, detail) => {
  const result = await check(domain);
  expect(result.outcome).toBe(outcome);
  expect(result.detail).toMatch(detail);
});

test('a timeout is reported within the timeout, not after the resolver gives up on its own', async () => {
  const result = await check('silent.test', 600);
  expect(result.outcome).toBe('timeout');
  expect(result.ms).toBeLessThan(2000);
});

test('a server that is not there is an outcome (port unreachable), not a crash', async () => {
  const result = await checkDomainTxt('plain.test', TOKEN, { servers: ['127.0.0.1:9'], timeoutMs: 500 });
  expect(result.outcome).toBe('unreachable');
});
