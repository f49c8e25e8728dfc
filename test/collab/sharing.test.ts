import { beforeAll, describe, expect, test } from 'vitest';
import { getFile, listMyFiles, openFileContent, uploadFile } from '../../lib/collab/files';
import { listShares, shareFile, unshareFile } from '../../lib/collab/sharing';
import { AuditEventModel, FileModel, UserModel } from '../../lib/models';
import { apiUpload, bytesUpload, download, people, person, randomFile, sha256, type TestPerson } from './support';
import { useStack } from '../support/stack';

const stack = useStack();
let ada: TestPerson; // standard
let bob: TestPerson; // standard
let sso: TestPerson; // SSO user of some customer tenant (acts through the services)
beforeAll(async () => {
  [ada, bob, sso] = await people(stack.env.baseUrl, 'ada@example.test', 'bob@example.test', ['carol@contoso.example', 'sso']);
});

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Buffer));
  return Buffer.concat(parts);
}

describe('sharing between two users', () => {
  test('ada shares with bob: bob lists and downloads it; after unsharing he cannot even see it', async () => {
    const bytes = randomFile(50_000);
    const { body } = await apiUpload(ada.http, bytes, 'plan.pdf', { type: 'application/pdf' });
    const id = body.file.id;
    expect((await bob.http.api('GET', `/api/files/${id}`)).status).toBe(404);

    const shared = await ada.http.api('POST', `/api/files/${id}/shares`, { email: ' Bob@Example.test ' });
    expect(shared).toMatchObject({ status: 201, body: { share: { id: bob.id, email: bob.email, kind: 'standard' } } });
    expect((await ada.http.api('GET', `/api/files/${id}/shares`)).body.shares.map((p: { email: string }) => p.email)).toEqual([bob.email]);

    const list = await bob.http.api('GET', '/api/files');
    expect(list.body.shared.map((f: { id: string }) => f.id)).toEqual([id]);
    expect(list.body.shared[0]).toMatchObject({ name: 'plan.pdf', owner: { email: ada.email }, rights: { manage: false, share: false } });
    const got = await download(bob.http, id);
    expect(sha256(got.bytes)).toBe(sha256(bytes));

    expect((await ada.http.api('DELETE', `/api/files/${id}/shares/${bob.id}`)).status).toBe(204);
    expect((await bob.http.api('GET', '/api/files')).body.shared).toEqual([]);
    expect((await download(bob.http, id)).res.status).toBe(404);
  });

  test('a standard user shares with an SSO user and back: the IdP plays no part in who may read', async () => {
    const bytes = randomFile(20_000);
    const { body } = await apiUpload(ada.http, bytes, 'for-carol.bin');
    const share = await ada.http.api('POST', `/api/files/${body.file.id}/shares`, { email: sso.email });
    expect(share.body.share).toMatchObject({ email: sso.email, kind: 'sso' });

    const mine = await listMyFiles(sso.actor);
    expect(mine.shared.map((f) => f.name)).toEqual(['for-carol.bin']);
    const content = await openFileContent(sso.actor, body.file.id);
    expect(sha256(await streamToBuffer(content.stream))).toBe(sha256(bytes));

    // ...and the SSO user shares one of theirs with the standard user.
    const theirs = await uploadFile(sso.actor, { receive: bytesUpload('from-carol.txt') });
    await shareFile(sso.actor, theirs.id, ada.email);
    expect(new TextDecoder().decode((await download(ada.http, theirs.id)).bytes)).toBe('contents of from-carol.txt');
    expect((await listShares(sso.actor, theirs.id)).map((p) => [p.email, p.kind])).toEqual([[ada.email, 'standard']]);
  });

  test('a recipient cannot pass the file on, and bob never sees files not shared with him', async () => {
    const { body } = await apiUpload(ada.http, randomFile(10), 'private.bin');
    await shareFile(ada.actor, body.file.id, sso.email);
    await expect(shareFile(sso.actor, body.file.id, bob.email)).rejects.toMatchObject({ status: 403 });
    await expect(getFile(bob.actor, body.file.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe('sharing refusals: clear 4xx, nothing written', () => {
  test.each([
    {
      label: 'an unknown email',
      email: 'nobody@example.test',
      status: 404,
      code: 'unknown_user',
      message: /There is no Entrada user with the email nobody@example.test/,
    },
    { label: 'yourself', email: 'ada@example.test', status: 400, code: 'bad_request', message: /You own this file already/ },
    { label: 'a malformed email', email: 'not an email', status: 400, code: 'bad_request', message: /valid email/ },
  ])('sharing with $label → $status', async ({ email, status, code, message }) => {
    const { body } = await apiUpload(ada.http, randomFile(10), 'x.bin');
    const res = await ada.http.api('POST', `/api/files/${body.file.id}/shares`, { email });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
    expect((await FileModel.findById(body.file.id).lean())!.sharedWith).toEqual([]);
    expect(await AuditEventModel.countDocuments({ action: 'file.share', 'target.id': body.file.id })).toBe(0);
  });

  test('sharing twice is a 409 that names the person; unsharing someone it is not shared with is a 404', async () => {
    const { body } = await apiUpload(ada.http, randomFile(10), 'twice.bin');
    expect((await ada.http.api('POST', `/api/files/${body.file.id}/shares`, { email: bob.email })).status).toBe(201);
    const again = await ada.http.api('POST', `/api/files/${body.file.id}/shares`, { email: bob.email });
    expect(again).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', message: 'The file is already shared with bob@example.test.' } },
    });
    expect((await FileModel.findById(body.file.id).lean())!.sharedWith.map(String)).toEqual([bob.id]);

    await unshareFile(ada.actor, body.file.id, bob.id);
    await expect(unshareFile(ada.actor, body.file.id, bob.id)).rejects.toMatchObject({ status: 404 });
    expect((await ada.http.api('DELETE', `/api/files/${body.file.id}/shares/not-an-id`)).status).toBe(404);
  });

  test('a deleted (or deleting) account cannot be shared with', async () => {
    const gone = await person(stack.env.baseUrl, 'gone@example.test');
    await UserModel.updateOne({ _id: gone.id }, { status: 'deleting' });
    const { body } = await apiUpload(ada.http, randomFile(10), 'y.bin');
    expect((await ada.http.api('POST', `/api/files/${body.file.id}/shares`, { email: gone.email })).status).toBe(404);
  });
});

describe('the file page', () => {
  test('the owner shares by email, sees who has it, and stops sharing; a refusal is shown on the page', async () => {
    const { body } = await apiUpload(ada.http, randomFile(10), 'page-share.bin');
    const id = body.file.id;
    await ada.http.get(`/files/${id}`);
    expect(ada.http.lastHtml).toContain('Only you can see this file.');

    await ada.http.postForm(`/files/${id}/shares`, { email: sso.email });
    expect(ada.http.lastHtml).toContain('File shared.');
    expect(ada.http.lastHtml).toContain(sso.email);
    expect(ada.http.lastHtml).toContain('<span class="pill">SSO</span>');

    const unknown = await ada.http.postForm(`/files/${id}/shares`, { email: 'who@example.test' });
    expect(unknown.status).toBe(404);
    expect(ada.http.lastHtml).toContain('There is no Entrada user with the email who@example.test.');
    expect(ada.http.lastHtml).toContain('<h1>page-share.bin</h1>');

    await ada.http.postForm(`/files/${id}/shares/${sso.id}/remove`, {});
    expect(ada.http.lastHtml).toContain('The file is no longer shared with that person.');
    expect((await listMyFiles(sso.actor)).shared.map((f) => f.id)).not.toContain(id);
  });

  test('a recipient sees the file page with download, but neither the sharing nor the rename forms', async () => {
    const { body } = await apiUpload(ada.http, randomFile(10), 'read-only.bin');
    await shareFile(ada.actor, body.file.id, bob.email);
    const res = await bob.http.get(`/files/${body.file.id}`);
    expect(res.status).toBe(200);
    expect(bob.http.lastHtml).toContain(`href="/files/${body.file.id}/download"`);
    expect(bob.http.lastHtml).not.toContain('/shares"');
    expect(bob.http.lastHtml).not.toContain('/rename"');
    await bob.http.get('/files');
    expect(bob.http.lastHtml).toContain('read-only.bin');
  });
});
