/**
 * The connection's certificate lifecycle on the time-skipping server, over stubbed activities
 * that keep the trusted set as the real ones do: a rollover Entra publishes before switching
 * (staged by the scheduled refresh, proven by a sign-in, `cert-rolled` for a week), a surprise
 * rotation caught by the refusal burst (refresh at once, staff alerted), pause and resume, and
 * refresh failures that leave the trusted set alone and show `failing` until a refresh works.
 */
import { expect, test } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import * as c from '../../lib/contracts/connection';
import {
  certificate,
  connectionSteps,
  connectionWhen,
  DAY,
  healthAttribute,
  healthAttributeBecomes,
  STAFF,
  startConnection,
} from '../support/connection-stubs';
import { useTimeSkipping } from '../support/time-skipping';

const server = useTimeSkipping();
const YEAR = 365 * DAY;

test('Entra publishes the new certificate before switching: the scheduled refresh stages it, the first sign-in with it proves the rollover', async () => {
  const now = await server.env.currentTimeMs();
  const [old, next] = [certificate('OLD1', YEAR, now), certificate('NEW1', 3 * YEAR, now)];
  const stub = connectionSteps([old]);
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startConnection(server.client, taskQueue);
    await connectionWhen(handle, (s) => s.events.length === 1);
    stub.publish([old, next]);

    await server.sleep(DAY + 60_000);
    const staged = await connectionWhen(handle, (s) => s.certificates.length === 2);
    expect(staged.lastRefresh).toMatchObject({ outcome: 'ok', trigger: 'schedule', message: 'staged NEW1' });
    expect(staged.certificates.find((x) => x.thumbprint === 'OLD1')?.unpublishedAt).toBeUndefined();
    expect(staged.health).toBe('healthy');

    await handle.signal(c.certificateProvenSignal, {
      thumbprint: 'NEW1',
      at: new Date(now + DAY + 120_000).toISOString(),
      auditEventId: 'a-proof',
      email: 'ada@contoso.example',
    });
    const rolled = await connectionWhen(handle, (s) => s.health === 'cert-rolled');
    expect(stub.inputsOf('markCertificateProven')).toEqual([
      { tenantId: rolled.tenantId, thumbprint: 'NEW1', at: new Date(now + DAY + 120_000).toISOString() },
    ]);
    await healthAttributeBecomes(handle, 'cert-rolled');
    // A second report of the same proof changes nothing.
    await handle.signal(c.certificateProvenSignal, {
      thumbprint: 'NEW1',
      at: new Date(now + 2 * DAY).toISOString(),
      auditEventId: 'a-proof-2',
      email: 'bo@contoso.example',
    });

    stub.publish([next]); // Entra drops the old key: still trusted until it expires
    await server.sleep(8 * DAY);
    const settled = await connectionWhen(handle, (s) => s.health === 'healthy');
    expect(settled.certificates.find((x) => x.thumbprint === 'OLD1')?.unpublishedAt).toBeDefined();
    expect(stub.inputsOf('markCertificateProven')).toHaveLength(1);
    expect(stub.inputsOf('sendConnectionAlert')).toEqual([]);
  });
});

test('a surprise rotation caught by the refusal burst: metadata refreshed at once, staff alerted, the failure ends with the staged key', async () => {
  const now = await server.env.currentTimeMs();
  const stub = connectionSteps([certificate('OLD2', YEAR, now)]);
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startConnection(server.client, taskQueue);
    await connectionWhen(handle, (s) => s.events.length === 1);
    stub.publish([certificate('NEW2', 3 * YEAR, now)]);

    await handle.signal(c.signatureBurstSignal, { count: 5, at: new Date(now).toISOString(), auditEventId: 'a-burst' });
    const caught = await connectionWhen(handle, (s) => s.lastRefresh?.trigger === 'signature-burst');
    expect(caught.lastRefresh?.message).toBe('staged NEW2; no longer published (trusted until expiry): OLD2');
    expect(caught.problem).toBeUndefined(); // the new key is trusted now
    expect(stub.inputsOf('sendConnectionAlert')).toEqual([
      expect.objectContaining({ key: 'signature-burst:a-burst', headline: 'Sign-ins refused: invalid signature' }),
    ]);
    expect(stub.inputsOf('auditConnection').map((a) => a.action)).toContain('sso.connection.signature-burst');
    expect(stub.inputsOf('refreshConnectionMetadata').map((r) => r.trigger)).toEqual(['signature-burst']); // no waiting for the schedule
  });
});

test('a burst that the metadata does not explain stays failing until a later scheduled refresh; while paused nothing is refreshed, but staff still hear', async () => {
  const now = await server.env.currentTimeMs();
  const stub = connectionSteps([certificate('ONLY', YEAR, now)]);
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startConnection(server.client, taskQueue);
    await connectionWhen(handle, (s) => s.events.length === 1);
    await expect(handle.executeUpdate(c.pauseConnectionUpdate, { args: [{ staffEmail: STAFF, reason: 'short' }] })).rejects.toMatchObject({
      cause: { type: 'InvalidInput' },
    });
    const paused = await handle.executeUpdate(c.pauseConnectionUpdate, {
      args: [{ staffEmail: STAFF, reason: 'Customer is migrating their Entra tenant' }],
    });
    expect(paused.health).toBe('paused');
    expect(await healthAttribute(handle)).toBe('paused');

    await handle.signal(c.signatureBurstSignal, { count: 6, at: new Date(now).toISOString(), auditEventId: 'a-burst-paused' });
    await connectionWhen(handle, (s) => s.problem?.kind === 'signature-failures');
    // The alert goes out after the problem is recorded: wait for it before moving time on.
    await expect
      .poll(() => stub.inputsOf('sendConnectionAlert').map((a) => a.key), { timeout: 15_000 })
      .toEqual(['signature-burst:a-burst-paused']);
    await server.sleep(3 * DAY);
    expect(stub.inputsOf('refreshConnectionMetadata')).toEqual([]);
    expect(stub.inputsOf('sendConnectionAlert')).toHaveLength(1);

    const resumed = await handle.executeUpdate(c.resumeConnectionUpdate, { args: [{ staffEmail: STAFF }] });
    expect(resumed.lastRefresh).toMatchObject({ outcome: 'ok', trigger: 'staff' });
    expect(resumed.health).toBe('failing'); // nothing new was published: the refusals stay unexplained
    await server.sleep(DAY + 60_000);
    await connectionWhen(handle, (s) => s.health === 'healthy' && s.lastRefresh?.trigger === 'schedule');
  });
});

test('refresh failures never change the trusted set: failing with the reason, one alert, healthy again once a refresh works', async () => {
  const now = await server.env.currentTimeMs();
  let failing = true;
  const stub = connectionSteps([certificate('KEEP', YEAR, now)]);
  const real = stub.activities.refreshConnectionMetadata as (input: unknown) => Promise<unknown>;
  stub.activities.refreshConnectionMetadata = async (input: unknown) => {
    if (failing)
      throw ApplicationFailure.nonRetryable('https://login.example/x answered 404: check the tenant ID (and app ID)', 'MetadataInvalid');
    return real(input);
  };
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startConnection(server.client, taskQueue);
    await connectionWhen(handle, (s) => s.events.length === 1);

    const refused = await handle.executeUpdate(c.refreshConnectionUpdate, { args: [{ staffEmail: STAFF }] });
    expect(refused.health).toBe('failing');
    expect(refused.problem?.message).toBe(
      'Federation metadata could not be refreshed: https://login.example/x answered 404: check the tenant ID (and app ID)',
    );
    expect(refused.certificates.map((x) => x.thumbprint)).toEqual(['KEEP']);
    await server.sleep(3 * DAY); // scheduled refreshes fail too: still one alert
    expect(stub.inputsOf('sendConnectionAlert')).toHaveLength(1);

    failing = false;
    const healed = await handle.executeUpdate(c.refreshConnectionUpdate, { args: [{ staffEmail: STAFF }] });
    expect(healed.health).toBe('healthy');
    expect(healed.problem).toBeUndefined();
  });
});

test('staff retire only a certificate Entra no longer publishes', async () => {
  const now = await server.env.currentTimeMs();
  const stub = connectionSteps([certificate('GONE', YEAR, now), certificate('STAY', 2 * YEAR, now)]);
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startConnection(server.client, taskQueue);
    await connectionWhen(handle, (s) => s.events.length === 1);
    const retire = (thumbprint: string) =>
      handle.executeUpdate(c.retireCertificateUpdate, { args: [{ staffEmail: STAFF, thumbprint, reason: 'Customer destroyed the key' }] });
    await expect(retire('GONE')).rejects.toMatchObject({
      cause: { type: 'Conflict', message: expect.stringContaining('still published') },
    });

    stub.publish([certificate('STAY', 2 * YEAR, now)]);
    await handle.executeUpdate(c.refreshConnectionUpdate, { args: [{ staffEmail: STAFF }] });
    await expect(retire('NOPE')).rejects.toMatchObject({ cause: { type: 'NotFound' } });
    const retired = await retire('go:ne');
    expect(retired.certificates.map((x) => x.thumbprint)).toEqual(['STAY']);
    expect(stub.inputsOf('retireCertificate')).toEqual([
      { tenantId: retired.tenantId, thumbprint: 'GONE', staffEmail: STAFF, reason: 'Customer destroyed the key' },
    ]);
  });
});

test('the last certificate valid now cannot be retired, even when Entra only publishes one that is not valid yet', async () => {
  const now = await server.env.currentTimeMs();
  const later = {
    thumbprint: 'LATER',
    notBefore: new Date(now + 10 * DAY).toISOString(),
    notAfter: new Date(now + 3 * YEAR).toISOString(),
  };
  const stub = connectionSteps([certificate('NOWONLY', YEAR, now)]);
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startConnection(server.client, taskQueue);
    await connectionWhen(handle, (s) => s.events.length === 1);
    stub.publish([later]);
    await handle.executeUpdate(c.refreshConnectionUpdate, { args: [{ staffEmail: STAFF }] });
    await expect(
      handle.executeUpdate(c.retireCertificateUpdate, {
        args: [{ staffEmail: STAFF, thumbprint: 'NOWONLY', reason: 'Customer destroyed the key' }],
      }),
    ).rejects.toMatchObject({
      cause: { type: 'Conflict', message: 'certificate NOWONLY is the only valid one; retiring it would stop every sign-in' },
    });
    expect(stub.inputsOf('retireCertificate')).toEqual([]);
  });
});
