/**
 * Groups overage: a user in more than 150 groups gets Entra's groups.link instead of the groups,
 * and the group gate asks Microsoft Graph (getMemberGroups, app-only token for that tenant) for
 * the transitive groups, nested ones included, across pages. Briefly cached; throttling is
 * waited out within a bound, then refused clearly; any Graph failure refuses (fails closed);
 * sign-ins without overage never call Graph.
 */
import { beforeAll, expect, test } from 'vitest';
import { accountSnapshot, lastRejection } from './support';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({
  entra: true,
  workers: true,
  config: { ENTRA_CLIENT_SECRET: 'test-client-secret', GRAPH_THROTTLE_MAX_WAIT: '3s' },
});
let t: SsoTenant;

const group = (n: number) => `6c6c6c6c-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PARENT = group(900_001);
const MIDDLE = group(900_002);
const CHILD = group(900_003);
/** 160 direct groups: past Entra's 150, so the token carries groups.link. */
const many = (extra: string[] = []) => [...Array.from({ length: 160 - extra.length }, (_, i) => group(i)), ...extra];

beforeAll(async () => {
  t = await connectTenant(stack, { domains: ['overage.example'], allowedGroups: [PARENT] });
  t.emulated.recordConsent(stack.env.config.ENTRA_CLIENT_ID);
  // CHILD ⊂ MIDDLE ⊂ PARENT: only transitive membership reaches the allowed group.
  t.emulated.nestGroup(CHILD, MIDDLE);
  t.emulated.nestGroup(MIDDLE, PARENT);
  t.emulated.scriptGraph({ pageSize: 40 });
  for (const name of ['deep', 'wait', 'slow']) t.emulated.addUser({ email: `${name}@overage.example`, groups: many([CHILD]) });
  t.emulated.addUser({ email: 'out@overage.example', groups: many() });
  t.emulated.addUser({ email: 'small@overage.example', groups: [PARENT] });
});

const signIn = (email: string, tenant = t) => new SsoBrowser(stack.env, tenant).signIn(email);

test('an overage user in a nested allowed group signs in from Graph’s pages; the answer is cached; one outside is refused', async () => {
  const { xml } = new SsoBrowser(stack.env, t).issue('deep@overage.example');
  expect(xml).toContain('http://schemas.microsoft.com/claims/groups.link');
  expect(xml).not.toContain(CHILD);

  const before = t.emulated.graphCalls();
  expect((await signIn('deep@overage.example')).status).toBe(303);
  // 162 transitive groups at 40 a page.
  expect(t.emulated.graphCalls() - before).toBe(5);
  expect((await signIn('deep@overage.example')).status).toBe(303);
  expect(t.emulated.graphCalls() - before).toBe(5);

  const snapshot = await accountSnapshot();
  expect((await signIn('out@overage.example')).status).toBe(403);
  const refusal = await lastRejection();
  expect(refusal?.reason).toBe('group-not-allowed');
  expect((refusal?.details.received as string[]).length).toBe(160);
  expect(await accountSnapshot()).toEqual(snapshot);
});

test('throttled briefly, the sign-in waits as Retry-After says and succeeds', async () => {
  t.emulated.scriptGraph({ throttle: { calls: 1, retryAfterSeconds: 1 } });
  const started = Date.now();
  expect((await signIn('wait@overage.example')).status).toBe(303);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
});

test('throttled for longer than the bound: refused at once with a clear page; sign-ins that need no look-up are unaffected', async () => {
  t.emulated.scriptGraph({ throttle: { calls: 1_000, retryAfterSeconds: 60 } });
  try {
    const started = Date.now();
    const res = await signIn('slow@overage.example');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(res.status).toBe(503);
    const page = await res.text();
    expect(page).toContain('Group check unavailable');
    const refusal = await lastRejection();
    expect(refusal).toMatchObject({ reason: 'groups-lookup-failed', details: { received: { status: 429, retryAfterSeconds: 60 } } });
    expect(page).toContain(refusal!.reference);

    expect((await signIn('small@overage.example')).status).toBe(303);
    expect((await signIn('deep@overage.example')).status).toBe(303); // still cached
  } finally {
    t.emulated.scriptGraph({ throttle: { calls: 0, retryAfterSeconds: 1 } });
  }
});

test('a tenant whose Graph will not answer (no consent for our app): the overage sign-in fails closed', async () => {
  const other = await connectTenant(stack, { name: 'NoConsent', domains: ['noconsent.example'], allowedGroups: [PARENT] });
  other.emulated.addUser({ email: 'nia@noconsent.example', groups: many([PARENT]) });
  const res = await signIn('nia@noconsent.example', other);
  expect(res.status).toBe(503);
  expect(await lastRejection()).toMatchObject({ reason: 'groups-lookup-failed', details: { received: { status: 400 } } });
});
