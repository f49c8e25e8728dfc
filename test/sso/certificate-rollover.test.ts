/**
 * Certificate rollover on the whole stack: the emulated Entra tenant publishes and switches
 * signing certificates, the connection workflow reads its metadata, the ACS verifies sign-ins.
 * A planned rollover (published first, switched later) never refuses anyone and is proven by
 * the first sign-in with the new key; a surprise rotation (switched at once) is caught by the
 * burst of signature refusals, which refreshes the metadata at once and alerts staff.
 */
import { expect, test } from 'vitest';
import { AuditEventModel, TenantModel } from '../../lib/models';
import { connectionStateQuery, connectionWorkflowId, ConnectionHealthKey, type ConnectionState } from '../../lib/contracts/connection';
import { ensureConnection } from '../../lib/connection/ensure';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';
import { lastRejection } from './support';

const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test', config: { STAFF_EMAIL: 'sso-alerts@entrada.test' } });

async function liveTenant(domain: string): Promise<SsoTenant> {
  const tenant = await connectTenant(stack, { domains: [domain] });
  await ensureConnection(stack.env.temporal, stack.env.config, tenant.tenantId);
  await connectionWhen(tenant, (s) => s.certificates.length === 1);
  return tenant;
}

const connection = (t: SsoTenant) => stack.env.temporal.workflow.getHandle(connectionWorkflowId(t.tenantId));
async function connectionWhen(t: SsoTenant, check: (s: ConnectionState) => boolean): Promise<ConnectionState> {
  let last: ConnectionState | null = null;
  await expect
    .poll(
      async () =>
        Boolean(
          (last = await connection(t)
            .query(connectionStateQuery)
            .catch(() => null)) && check(last),
        ),
      { timeout: 20_000, interval: 50 },
    )
    .toBe(true);
  return last!;
}
const trustedThumbprints = async (t: SsoTenant) =>
  ((await TenantModel.findOne({ tenantId: t.tenantId }).lean())?.saml?.certificates ?? []).map((c) => c.thumbprint);
const connectionAction = (t: SsoTenant, action: string, body: Record<string, unknown> = {}) =>
  stack.staff.api('POST', `/api/staff/tenants/${t.tenantId}/connection/${action}`, body);
const audited = (t: SsoTenant, action: string) => AuditEventModel.find({ tenantId: t.tenantId, action }).lean();

test('Entra publishes a new certificate before switching to it: nobody is refused, the first sign-in with it proves the rollover', async () => {
  const t = await liveTenant('rollover.example');
  t.emulated.addUser({ email: 'ada@rollover.example' });
  const [old] = t.emulated.signingCertificates();
  const signIn = async () => (await new SsoBrowser(stack.env, t).signIn('ada@rollover.example')).status;
  expect(await signIn()).toBe(303);

  // Published, not yet signing: the refresh stages it beside the current one.
  const next = t.emulated.addSigningCertificate();
  const refreshed = (await connectionAction(t, 'refresh')).body.result as ConnectionState;
  expect(refreshed.certificates.map((c) => [c.thumbprint, Boolean(c.stagedAt)])).toEqual([
    [old.thumbprint, false],
    [next.thumbprint, true],
  ]);
  expect(await trustedThumbprints(t)).toEqual([old.thumbprint, next.thumbprint]);
  expect((await audited(t, 'sso.certificate.staged')).map((e) => e.details)).toEqual([{ thumbprint: next.thumbprint, trigger: 'staff' }]);
  expect(await signIn()).toBe(303); // still signed with the old key: no proof yet
  expect(await audited(t, 'sso.certificate.proven')).toHaveLength(0);

  // Entra switches: the very next sign-in works, and proves the new key.
  t.emulated.activateSigningCertificate(next.thumbprint);
  expect(await signIn()).toBe(303);
  const proven = await connectionWhen(t, (s) => s.certificates.some((c) => c.thumbprint === next.thumbprint && c.provenAt));
  expect(proven.health).toBe('cert-rolled');
  expect((await connection(t).describe()).typedSearchAttributes.get(ConnectionHealthKey)).toBe('cert-rolled');
  expect((await audited(t, 'sso.certificate.proven')).map((e) => [e.actor?.email, e.details])).toEqual([
    ['ada@rollover.example', { thumbprint: next.thumbprint }],
  ]);
  expect(await signIn()).toBe(303);
  expect(await audited(t, 'sso.certificate.proven')).toHaveLength(1);

  // Entra stops publishing the old key: it stays trusted (until it expires) until staff retire it.
  t.emulated.removeSigningCertificate(old.thumbprint);
  const unpublished = (await connectionAction(t, 'refresh')).body.result as ConnectionState;
  expect(unpublished.certificates.find((c) => c.thumbprint === old.thumbprint)?.unpublishedAt).toBeDefined();
  expect(await trustedThumbprints(t)).toEqual([old.thumbprint, next.thumbprint]);
  const stillPublished = await connectionAction(t, 'retire', { thumbprint: next.thumbprint, reason: 'Customer says it is compromised' });
  expect(stillPublished.status).toBe(409); // the current one is still published
  const retired = await connectionAction(t, 'retire', {
    thumbprint: old.thumbprint,
    reason: 'Customer confirmed the old key is destroyed',
  });
  expect(retired.status, JSON.stringify(retired.body)).toBe(200);
  expect(await trustedThumbprints(t)).toEqual([next.thumbprint]);
  expect((await audited(t, 'sso.certificate.retired')).map((e) => [e.actor?.email, e.details])).toEqual([
    ['sam@entrada.test', { thumbprint: old.thumbprint, reason: 'Customer confirmed the old key is destroyed' }],
  ]);
  expect(await signIn()).toBe(303);
});

test('a surprise rotation: five signature refusals within minutes refresh the metadata at once and alert staff; sign-in works again', async () => {
  const t = await liveTenant('surprise.example');
  t.emulated.addUser({ email: 'bo@surprise.example' });
  const rotated = t.emulated.addSigningCertificate();
  t.emulated.activateSigningCertificate(rotated.thumbprint); // switched without publishing first

  for (let i = 0; i < 4; i++) {
    expect((await new SsoBrowser(stack.env, t).signIn('bo@surprise.example')).status).toBe(400);
    expect((await lastRejection())?.reason).toBe('signature-invalid');
  }
  expect(await audited(t, 'sso.connection.signature-burst')).toHaveLength(0);
  expect(await trustedThumbprints(t)).not.toContain(rotated.thumbprint);

  expect((await new SsoBrowser(stack.env, t).signIn('bo@surprise.example')).status).toBe(400); // the fifth
  const caught = await connectionWhen(t, (s) => s.lastRefresh?.trigger === 'signature-burst');
  expect(caught.lastRefresh).toMatchObject({ outcome: 'ok', message: `staged ${rotated.thumbprint}` });
  expect(await trustedThumbprints(t)).toContain(rotated.thumbprint);
  const alert = await stack.env.inbox.waitFor((m) => m.subject.includes('Sign-ins refused: invalid signature'));
  expect(alert.to).toEqual(['sso-alerts@entrada.test']);
  expect(alert.text).toContain('5 sign-ins refused for an invalid signature within 10 minutes');
  expect((await audited(t, 'sso.connection.signature-burst')).map((e) => e.details?.count)).toEqual([5]);

  // The staged key is the one Entra signs with: the next sign-in works and proves it.
  expect((await new SsoBrowser(stack.env, t).signIn('bo@surprise.example')).status).toBe(303);
  const healed = await connectionWhen(t, (s) => s.certificates.some((c) => c.thumbprint === rotated.thumbprint && c.provenAt));
  expect(healed.problem).toBeUndefined();
  expect(healed.health).toBe('cert-rolled');

  // More refusals in the same window do not alert again.
  t.emulated.activateSigningCertificate(t.emulated.addSigningCertificate().thumbprint);
  for (let i = 0; i < 3; i++) expect((await new SsoBrowser(stack.env, t).signIn('bo@surprise.example')).status).toBe(400);
  expect(await audited(t, 'sso.connection.signature-burst')).toHaveLength(1);
});
