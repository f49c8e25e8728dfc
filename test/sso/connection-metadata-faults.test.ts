/**
 * A live tenancy's metadata refresh against a misbehaving Entra host: a 404, another tenant's
 * metadata, a document whose certificates have all expired, a server error, no answer at all. None of them
 * removes or changes a trusted certificate (the Tenant record is untouched, sign-in keeps
 * working), each is audited, and the connection shows `failing` with the reason until a
 * refresh works again.
 */
import type { RequestHandler } from 'express';
import { beforeAll, beforeEach, expect, test, vi } from 'vitest';
import { AuditEventModel, TenantModel } from '../../lib/models';
import { connectionStateQuery, connectionWorkflowId, type ConnectionState } from '../../lib/contracts/connection';
import { ensureConnection } from '../../lib/connection/ensure';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';
import { expiredEntraCertificate } from '../support/entra-fixtures';

const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test', config: { METADATA_FETCH_TIMEOUT: '1s' } });
let t: SsoTenant;

beforeAll(async () => {
  t = await connectTenant(stack, { domains: ['faults.example'] });
  t.emulated.addUser({ email: 'eve@faults.example' });
  await ensureConnection(stack.env.temporal, stack.env.config, t.tenantId);
  // Staff actions are refused ("try again") for the moment until it has read the tenancy.
  const connection = stack.env.temporal.workflow.getHandle(connectionWorkflowId(t.tenantId));
  await vi.waitFor(
    async () => {
      if (!(await connection.query(connectionStateQuery))) throw new Error('the connection has not read its tenancy yet');
    },
    { timeout: 15_000, interval: 50 },
  );
  // The first refresh records what the test tenant lacked (Entra's logout URL): each test starts in step.
  expect((await refresh()).lastRefresh?.outcome).toBe('ok');
});
beforeEach(() => {
  stack.entra.metadataFault = undefined;
});

const refresh = async () => {
  const res = await stack.staff.api('POST', `/api/staff/tenants/${t.tenantId}/connection/refresh`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.result as ConnectionState;
};
const tenantRecord = async () => {
  const tenant = await TenantModel.findOne({ tenantId: t.tenantId }).lean();
  return { version: tenant!.configVersion, thumbprints: tenant!.saml!.certificates.map((c) => c.thumbprint) };
};
const servedBy = (handler: RequestHandler) => (stack.entra.metadataFault = handler);
const metadataOf = async (tenantId: string) =>
  (await fetch(`${stack.entra.url}/${tenantId}/federationmetadata/2007-06/federationmetadata.xml`)).text();

test.each([
  ['a 404', () => servedBy((_req, res) => void res.status(404).send('not found')), /answered 404: check the tenant ID/],
  [
    "another tenant's metadata",
    async () => {
      const other = await metadataOf(stack.entra.emulator.createTenant({ name: 'Elsewhere' }).tenantId);
      servedBy((_req, res) => void res.type('application/xml').send(other));
    },
    /^the metadata is for tenant [0-9a-f-]+, expected /,
  ],
  [
    'only expired certificates',
    async () => {
      const expired = (await metadataOf(t.tenantId)).replace(
        /<X509Certificate>[^<]+<\/X509Certificate>/g,
        `<X509Certificate>${expiredEntraCertificate()}</X509Certificate>`,
      );
      servedBy((_req, res) => void res.type('application/xml').send(expired));
    },
    /^all 1 signing certificates have expired/,
  ],
  ['a server error, after retries', () => servedBy((_req, res) => void res.status(503).send('busy')), /answered 503/],
  ['no answer at all (timeout), after retries', () => servedBy(() => undefined), /did not answer within 1000 ms$/],
])('%s: the trusted certificates stay, the connection shows failing, sign-in keeps working', async (_name, fault, reason) => {
  const before = await tenantRecord();
  await fault();
  const failed = await refresh();
  expect(failed.health).toBe('failing');
  expect(failed.lastRefresh).toMatchObject({ outcome: 'failed', trigger: 'staff', message: expect.stringMatching(reason) });
  expect(failed.problem?.message).toMatch(/^Federation metadata could not be refreshed: /);
  expect(await tenantRecord()).toEqual(before);
  const audited = await AuditEventModel.find({ tenantId: t.tenantId, action: 'sso.metadata.refresh', outcome: 'failure' })
    .sort({ at: -1 })
    .lean();
  expect(String(audited[0]?.details?.error)).toMatch(reason);
  expect((await new SsoBrowser(stack.env, t).signIn('eve@faults.example')).status).toBe(303);

  stack.entra.metadataFault = undefined;
  const healed = await refresh();
  expect(healed.health).toBe('healthy');
  expect(healed.lastRefresh).toMatchObject({ outcome: 'ok', message: 'no change (1 trusted)' });
  expect(await tenantRecord()).toEqual(before); // nothing changed, so nothing written
});

test('the staff tenant page shows the connection, its health and the failure', async () => {
  servedBy((_req, res) => void res.status(404).send('not found'));
  await refresh();
  stack.entra.metadataFault = undefined;
  const page = await stack.staff.get(`/staff/tenants/${t.tenantId}`);
  const html = await page.text();
  expect(html).toContain('data-health="failing"');
  expect(html).toContain('id="connection-problem"');
  expect(html).toContain(t.emulated.signingCertificates()[0].thumbprint);
  expect(html).toContain('data-action="connection-refresh"');
});
