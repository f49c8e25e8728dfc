import { beforeAll, expect, test } from 'vitest';
import { AuditEventModel } from '../../lib/models';
import { apiUpload, people, randomFile, type TestPerson } from './support';
import { useStack } from '../support/stack';

const stack = useStack();
let ada: TestPerson;
let bob: TestPerson;
beforeAll(async () => {
  [ada, bob] = await people(stack.env.baseUrl, 'ada@example.test', 'bob@example.test');
});

test('every collaboration change is in the audit trail: who, what, on which thing, from where, and the outcome', async () => {
  const start = new Date();
  const hub = (await ada.http.api('POST', '/api/hubs', { name: 'Audited' })).body.hub;
  await ada.http.api('POST', `/api/hubs/${hub.id}/members`, { email: bob.email });
  await ada.http.api('PATCH', `/api/hubs/${hub.id}/members/${bob.id}`, { role: 'admin' });
  const file = (await apiUpload(ada.http, randomFile(2048), 'report.pdf', { type: 'application/pdf' })).body.file;
  const hubFile = (await apiUpload(bob.http, randomFile(10), 'notes.txt', { hubId: hub.id, type: 'text/plain' })).body.file;
  await ada.http.api('PATCH', `/api/files/${file.id}`, { name: 'report-final.pdf' });
  await ada.http.api('POST', `/api/files/${file.id}/shares`, { email: bob.email });
  expect((await bob.http.api('DELETE', `/api/files/${file.id}`)).status).toBe(403);
  await ada.http.api('DELETE', `/api/files/${file.id}/shares/${bob.id}`);
  await bob.http.api('DELETE', `/api/files/${hubFile.id}`);
  await ada.http.api('DELETE', `/api/files/${file.id}`);
  await ada.http.api('PATCH', `/api/hubs/${hub.id}`, { name: 'Audited hub' });
  await ada.http.api('DELETE', `/api/hubs/${hub.id}/members/${bob.id}`);
  await ada.http.api('DELETE', `/api/hubs/${hub.id}`);

  const events = await AuditEventModel.find({ at: { $gte: start }, action: { $not: /^auth\./ } })
    .sort({ at: 1, _id: 1 })
    .lean();
  const row = (e: (typeof events)[number]) => [e.action, e.outcome, e.actor?.email, `${e.target?.type}:${e.target?.id}`];
  expect(events.map(row)).toEqual([
    ['hub.create', 'success', ada.email, `hub:${hub.id}`],
    ['hub.member.add', 'success', ada.email, `hub:${hub.id}`],
    ['hub.member.role', 'success', ada.email, `hub:${hub.id}`],
    ['file.upload', 'success', ada.email, `file:${file.id}`],
    ['file.upload', 'success', bob.email, `file:${hubFile.id}`],
    ['file.rename', 'success', ada.email, `file:${file.id}`],
    ['file.share', 'success', ada.email, `file:${file.id}`],
    ['file.manage', 'denied', bob.email, `file:${file.id}`],
    ['file.unshare', 'success', ada.email, `file:${file.id}`],
    ['file.delete', 'success', bob.email, `file:${hubFile.id}`],
    ['file.delete', 'success', ada.email, `file:${file.id}`],
    ['hub.rename', 'success', ada.email, `hub:${hub.id}`],
    ['hub.member.remove', 'success', ada.email, `hub:${hub.id}`],
    ['hub.delete', 'success', ada.email, `hub:${hub.id}`],
  ]);

  const details = Object.fromEntries(events.map((e) => [`${e.action}/${e.outcome}/${e.target?.id}`, e.details]));
  expect(details[`hub.create/success/${hub.id}`]).toEqual({ name: 'Audited' });
  expect(details[`hub.member.add/success/${hub.id}`]).toEqual({ userId: bob.id, email: bob.email, role: 'member' });
  expect(details[`hub.member.role/success/${hub.id}`]).toEqual({ userId: bob.id, email: bob.email, from: 'member', to: 'admin' });
  expect(details[`file.upload/success/${file.id}`]).toEqual({ name: 'report.pdf', size: 2048, contentType: 'application/pdf' });
  expect(details[`file.upload/success/${hubFile.id}`]).toMatchObject({ name: 'notes.txt', hubId: hub.id });
  expect(details[`file.rename/success/${file.id}`]).toEqual({ from: 'report.pdf', to: 'report-final.pdf' });
  expect(details[`file.share/success/${file.id}`]).toEqual({
    name: 'report-final.pdf',
    withUserId: bob.id,
    withEmail: bob.email,
    withKind: 'standard',
  });
  expect(details[`file.manage/denied/${file.id}`]).toEqual({
    reason: 'Only the file owner or an owner/admin of its hub can change this file.',
  });
  expect(details[`file.unshare/success/${file.id}`]).toEqual({ name: 'report-final.pdf', withUserId: bob.id, withEmail: bob.email });
  expect(details[`file.delete/success/${file.id}`]).toEqual({ name: 'report-final.pdf', size: 2048, ownerId: ada.id });
  expect(details[`file.delete/success/${hubFile.id}`]).toEqual({ name: 'notes.txt', size: 10, ownerId: bob.id, hubId: hub.id });
  expect(details[`hub.member.remove/success/${hub.id}`]).toEqual({ userId: bob.id, email: bob.email, role: 'admin', left: false });
  expect(details[`hub.delete/success/${hub.id}`]).toEqual({ name: 'Audited hub', members: 1, messages: 0, filesReturnedToOwners: 0 });

  for (const e of events) {
    expect(e.actor).toMatchObject({ kind: 'user', userId: e.actor?.email === ada.email ? ada.id : bob.id });
    expect(e.ip).toMatch(/127\.0\.0\.1/);
    expect(e.userAgent).toEqual(expect.any(String));
  }
});
