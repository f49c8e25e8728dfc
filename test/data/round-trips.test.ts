import { beforeAll, expect, test } from 'vitest';
import { createUser, PASSWORD, signedIn } from '../support/people';
import { RateLimitHitModel, TenantModel } from '../../lib/models';
import { HttpClient } from '../support/http-client';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';
import { commandsDuring } from '../support/db-commands';

/**
 * Database round trips per sign-in, counted with the driver's command monitoring: every
 * command the app sends while the sign-in request runs (the test env connects with
 * `monitorCommands`). Each one costs a FerretDB and PostgreSQL round trip on the embedded
 * default, and a network round trip to a replica set in production.
 */
const stack = useStack({ entra: true });
/** A little over the flood limits' share interval (1 s). */
const SHARE_MS = 1300;
/** The flood limits' counts were shared (one insert, then the read of everyone's). */
const shared = (after: string[]) => after.includes('find ratelimithits');
let tenant: SsoTenant;

beforeAll(async () => {
  tenant = await connectTenant(stack, { domains: ['trips.test'] });
  tenant.emulated.addUser({ email: 'rita@trips.test' });
  await createUser({ email: 'paul@example.test' });
});

/**
 * 5 for the ACS post: the tenant's settings version, the assertion's and the request's single-use
 * claims (one insert), the account, the session, the audit event. Whether the request is ours is
 * computed from its ID (lib/saml/request-ids.ts), so starting the sign-in writes nothing. The SAML rate limits cost a request none: each process shares its counts once a
 * second, one insert and one read for all its requests together (lib/flood-limit.ts).
 */
test('a returning SSO user signs in with at most 5 database commands, and starting it writes nothing', async () => {
  const browser = new SsoBrowser(stack.env, tenant);
  expect((await browser.signIn('rita@trips.test')).status).toBe(303); // first contact: provisioned
  let requestId = '';
  // Until the earlier requests' counts are shared: a share after them, however late it runs.
  const start = await commandsDuring(async () => ({ requestId } = await browser.startLogin('/')), { ms: SHARE_MS, until: shared });
  // Reads only (the tenant's version, and this browser's own session): an anonymous flood of sign-in starts stores nothing.
  expect(
    start.filter((c) => !c.endsWith(' ratelimithits') && !c.startsWith('find ')),
    start.join('\n'),
  ).toEqual([]);
  expect(start).toContain('find tenants');
  const response = browser.issue('rita@trips.test', { inResponseTo: requestId }).samlResponse;
  // Entra's form posts cross-site: a browser sends no SameSite=Lax session cookie with it.
  const post = () =>
    fetch(browser.acs, { method: 'POST', body: new URLSearchParams({ SAMLResponse: response, RelayState: '/' }), redirect: 'manual' });
  let status = 0;
  // Work the app does once the response is out counts too, its rate-limit share included.
  const commands = await commandsDuring(
    async () => {
      status = (await post()).status;
    },
    { ms: SHARE_MS, until: shared },
  );
  expect(status).toBe(303);
  const share = commands.filter((c) => c.endsWith(' ratelimithits'));
  expect(share).toEqual(['insert ratelimithits', 'find ratelimithits']);
  expect(commands.length - share.length, commands.join('\n')).toBeLessThanOrEqual(5);
});

/**
 * IdP-initiated (My Apps): the ACS verifies (tenant) and seals the sign-in into the address of
 * the same-site step, which finishes it (tenant, the assertion's single-use claim, account, audit
 * event, session): 6 over the two requests, as many as one SP-initiated post (whose request-ID
 * look-up this path has not). Was 11 (a hold row inserted, read twice, claimed and deleted),
 * then 7 (the assertion claimed at the ACS and the hold again at the step).
 */
test('an IdP-initiated sign-in, ACS and same-site step together, takes at most 6 database commands', async () => {
  await TenantModel.updateOne({ tenantId: tenant.tenantId }, { $set: { allowIdpInitiated: true }, $inc: { configVersion: 1 } });
  const browser = new SsoBrowser(stack.env, tenant);
  expect((await browser.signIn('rita@trips.test')).status).toBe(303); // returning user, tenant settings cached
  const response = browser.issue('rita@trips.test').samlResponse; // unsolicited: answers no request
  await new Promise((r) => setTimeout(r, SHARE_MS));
  // Cross-site, and here from a browser nobody is signed in to: no cookie on either request.
  let status = 0;
  const commands = await commandsDuring(async () => {
    const acs = await fetch(browser.acs, {
      method: 'POST',
      body: new URLSearchParams({ SAMLResponse: response, RelayState: '/' }),
      redirect: 'manual',
    });
    const step = await fetch(new URL(acs.headers.get('location')!, stack.env.baseUrl), { redirect: 'manual' });
    status = step.status;
    expect(step.headers.get('location')).toBe('/');
  }, SHARE_MS);
  expect(status).toBe(303);
  const share = commands.filter((c) => c.endsWith(' ratelimithits'));
  expect(commands.length - share.length, commands.join('\n')).toBeLessThanOrEqual(6);
});

/**
 * 5 before the answer: the sign-in limit's row inserted and its window read, the account, the
 * audit event and the new session. Anonymous forms carry a CSRF token of their own cookie, so
 * no pre-login session is loaded or destroyed; a domain seen unclaimed is remembered for a few
 * seconds. After the answer the attempt gives its row back, batched with other sign-ins.
 */
test('a password sign-in takes at most 5 database commands before its answer', async () => {
  await signedIn(stack.env.baseUrl, 'paul@example.test'); // steady state: this process has seen a sign-in before
  const client = new HttpClient(stack.env.baseUrl);
  await client.get('/signin');
  await expect.poll(() => RateLimitHitModel.countDocuments({ k: { $regex: '^signin:' } })).toBe(0); // the first sign-in's row is given back
  let status = 0;
  const commands = await commandsDuring(async () => {
    status = (await client.postForm('/signin', { email: 'paul@example.test', password: PASSWORD }, { redirect: 'manual' })).status;
  });
  expect(status).toBe(303);
  expect(commands.length, commands.join('\n')).toBeLessThanOrEqual(5);
  await expect.poll(() => RateLimitHitModel.countDocuments({ k: { $regex: '^signin:' } })).toBe(0);
});
