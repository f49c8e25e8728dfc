/**
 * A worker killed (SIGKILL) while a metadata refresh is in flight: the trusted certificate set
 * is always either the old one or the new one, never a mix (the refresh writes the whole set in
 * one document update, under a lock), and once another worker retries the refresh, the new
 * certificate is staged beside the old and sign-in works throughout.
 */
import { beforeAll, expect, inject, test } from 'vitest';
import { TenantModel } from '../../lib/models';
import { connectionStateQuery, connectionWorkflowId, refreshConnectionUpdate } from '../../lib/contracts/connection';
import { ensureConnection } from '../../lib/connection/ensure';
import { startDoomedWorker } from '../support/doomed-worker';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';

const stack = useStack({ entra: true });
let t: SsoTenant;

beforeAll(async () => {
  t = await connectTenant(stack, { domains: ['killed.example'] });
  t.emulated.addUser({ email: 'kim@killed.example' });
});

const trusted = async () =>
  ((await TenantModel.findOne({ tenantId: t.tenantId }).lean())?.saml?.certificates ?? []).map((c) => c.thumbprint);

test('killed mid-refresh: the old set stays whole, the retried refresh writes the new set whole', { timeout: 120_000 }, async () => {
  const [old] = t.emulated.signingCertificates();
  const next = t.emulated.addSigningCertificate(); // published by Entra, not yet signing
  const seen = new Set<string>();
  // Each look is awaited before the test ends: one still in flight when the file's database is
  // dropped failed as an unhandled rejection after the test had passed.
  let looking = Promise.resolve();
  const watch = setInterval(() => {
    looking = looking.then(() => trusted()).then((set) => void seen.add(set.join(',')));
  }, 50);
  try {
    const dying = await startDoomedWorker({
      env: stack.env.envVars,
      bundlePath: inject('workflowBundlePath'),
      hangAt: 'refreshConnectionMetadata',
      expected: 1,
    });
    await ensureConnection(stack.env.temporal, stack.env.config, t.tenantId);
    const connection = stack.env.temporal.workflow.getHandle(connectionWorkflowId(t.tenantId));
    await expect.poll(() => connection.query(connectionStateQuery).catch(() => null), { timeout: 15_000 }).toBeTruthy();
    const refreshed = connection.executeUpdate(refreshConnectionUpdate, { args: [{ staffEmail: 'sam@entrada.test' }] });
    await dying.reached;
    await dying.kill();
    expect(await trusted()).toEqual([old.thumbprint]);
    expect((await new SsoBrowser(stack.env, t).signIn('kim@killed.example')).status).toBe(303);

    // Another worker picks the refresh up once the dead one's attempt times out.
    const workers = await stack.env.startWorkers();
    try {
      await refreshed;
      expect(await trusted()).toEqual([old.thumbprint, next.thumbprint]);
      expect((await new SsoBrowser(stack.env, t).signIn('kim@killed.example')).status).toBe(303);
    } finally {
      await workers.stop();
    }
  } finally {
    clearInterval(watch);
    await looking;
  }
  expect([...seen].sort()).toEqual([old.thumbprint, `${old.thumbprint},${next.thumbprint}`].sort());
});
