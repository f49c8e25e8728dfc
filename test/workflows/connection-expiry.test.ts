/**
 * Expiry warnings on the time-skipping server: while the only trusted certificate nears its
 * end, staff and the tenancy's admins are warned 30, 7 and 1 day before, once per threshold,
 * however many refreshes and wake-ups happen between; a new certificate published in time
 * stops them.
 */
import { expect, test } from 'vitest';
import { certificateProvenSignal } from '../../lib/contracts/connection';
import { certificate, connectionSteps, connectionWhen, DAY, healthAttributeBecomes, startConnection } from '../support/connection-stubs';
import { useTimeSkipping } from '../support/time-skipping';

const server = useTimeSkipping();

test('the last certificate is warned about 30, 7 and 1 day before it expires, each once', async () => {
  const only = certificate('AAAA', 40 * DAY, await server.env.currentTimeMs());
  const stub = connectionSteps([only]);
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startConnection(server.client, taskQueue);
    await connectionWhen(handle, (s) => s.health === 'healthy');
    expect(stub.inputsOf('sendCertificateExpiryWarning')).toEqual([]);

    await server.sleep(11 * DAY); // 29 days left
    const at30 = await connectionWhen(handle, (s) => s.warningsSent.length === 1);
    expect(at30.health).toBe('cert-expiring');
    await healthAttributeBecomes(handle, 'cert-expiring');

    await server.sleep(23 * DAY); // 6 days left
    await connectionWhen(handle, (s) => s.warningsSent.length === 2);
    await server.sleep(5 * DAY + DAY / 2); // half a day left
    await connectionWhen(handle, (s) => s.warningsSent.length === 3);
    await server.sleep(3 * DAY); // expired: nothing more to warn about, and no certificate works
    const after = await connectionWhen(handle, (s) => s.health === 'failing');

    expect(stub.inputsOf('sendCertificateExpiryWarning').map((w) => [w.thumbprint, w.days])).toEqual([
      ['AAAA', 30],
      ['AAAA', 7],
      ['AAAA', 1],
    ]);
    expect(after.warningsSent).toEqual(['AAAA:30', 'AAAA:7', 'AAAA:1']);
    expect(stub.inputsOf('refreshConnectionMetadata').length).toBeGreaterThanOrEqual(40);
    expect(
      stub
        .inputsOf('auditConnection')
        .filter((a) => a.action === 'sso.certificate.expiry-warning')
        .map((a) => a.details?.days),
    ).toEqual([30, 7, 1]);
  });
});

test('a connection first seen 5 days before expiry gets the 7-day warning only; a new certificate stops the rest', async () => {
  const now = await server.env.currentTimeMs();
  const old = certificate('BBBB', 5 * DAY, now);
  const stub = connectionSteps([old]);
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startConnection(server.client, taskQueue);
    await connectionWhen(handle, (s) => s.warningsSent.length === 2);
    expect(stub.inputsOf('sendCertificateExpiryWarning').map((w) => w.days)).toEqual([7]);

    stub.publish([old, certificate('CCCC', 3 * 365 * DAY, now)]);
    await server.sleep(DAY + 60_000); // the daily refresh stages the new certificate
    const rolled = await connectionWhen(handle, (s) => s.certificates.some((c) => c.thumbprint === 'CCCC'));
    expect(rolled.health).toBe('healthy');
    await server.sleep(5 * DAY);
    await connectionWhen(handle, (s) => s.lastRefresh !== undefined && Date.parse(s.lastRefresh.at) > Date.parse(old.notAfter));
    expect(stub.inputsOf('sendCertificateExpiryWarning').map((w) => w.days)).toEqual([7]);
  });
});

test('a run that continues as new keeps what it sent: no warning twice, health and state carried over', async () => {
  const stub = connectionSteps([certificate('DDDD', 5 * DAY, await server.env.currentTimeMs())]);
  await server.withWorker(stub.activities, async (taskQueue) => {
    const handle = await startConnection(server.client, taskQueue);
    await connectionWhen(handle, (s) => s.warningsSent.length === 2);
    const firstRun = (await handle.describe()).runId;

    // Reports about a certificate it does not know are ignored, but each is history (~1 event).
    for (let i = 0; i < 45; i++) {
      await Promise.all(
        Array.from({ length: 25 }, (_, j) =>
          handle.signal(certificateProvenSignal, {
            thumbprint: `X${i}-${j}`,
            at: new Date().toISOString(),
            auditEventId: 'a',
            email: 'x@contoso.example',
          }),
        ),
      );
    }
    await expect.poll(async () => (await handle.describe()).runId, { timeout: 15_000 }).not.toBe(firstRun);
    const carried = await connectionWhen(handle, (s) => s.warningsSent.length === 2);
    expect(carried.events[0].event).toBe('Connection watch started: 1 trusted certificate(s)');
    await healthAttributeBecomes(handle, 'cert-expiring');
    await server.sleep(4 * DAY + DAY / 2); // the 1-day threshold, in the new run
    await connectionWhen(handle, (s) => s.warningsSent.length === 3);
    expect(stub.inputsOf('sendCertificateExpiryWarning').map((w) => w.days)).toEqual([7, 1]);
  });
});
