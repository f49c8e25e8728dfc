import http from 'node:http';
import { beforeAll, describe, expect, test } from 'vitest';
import mongoose from 'mongoose';
import { FileModel, INLINE_MAX_BYTES } from '../../lib/models';
import { seedFiles } from '../../scripts/lib/seed-files';
import { HttpClient } from '../support/http-client';
import { apiUpload, blobCounts, download, fileForm, person, randomFile, sha256, type TestPerson } from './support';
import { useStack } from '../support/stack';

const LIMIT = 1024 * 1024;
const stack = useStack({ config: { UPLOAD_MAX_BYTES: String(LIMIT) } });
let ada: TestPerson;
beforeAll(async () => {
  ada = await person(stack.env.baseUrl, 'ada@example.test');
});

/** The GridFS commands the app sends from now on, in order (the test env monitors commands). */
function watchBlobCommands() {
  const client = mongoose.connection.getClient();
  const seen: string[] = [];
  const listener = (e: mongoose.mongo.CommandStartedEvent) => {
    const collection = String(e.command[e.commandName]);
    if (collection.startsWith('blobs.')) seen.push(`${e.commandName} ${collection}`);
  };
  client.on('commandStarted', listener);
  return { seen, stop: () => void client.off('commandStarted', listener) };
}

describe('upload and download', () => {
  test('a random binary file comes back byte for byte, streamed through GridFS chunks', async () => {
    const before = await blobCounts();
    const bytes = randomFile(700_000);
    const up = await apiUpload(ada.http, bytes, 'data.bin');
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.file).toMatchObject({
      name: 'data.bin',
      size: bytes.length,
      contentType: 'application/octet-stream',
      owner: { email: ada.email },
    });
    expect(await blobCounts()).toEqual({ files: before.files + 1, chunks: before.chunks + 3 }); // 255 KiB chunks

    const { res, bytes: back } = await download(ada.http, up.body.file.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(sha256(back)).toBe(sha256(bytes));
  });

  test('a small file is stored inline (no GridFS blob) and comes back byte for byte; one byte over the line goes to GridFS', async () => {
    const before = await blobCounts();
    const small = randomFile(INLINE_MAX_BYTES);
    const up = await apiUpload(ada.http, small, 'small.bin');
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.file).toMatchObject({ name: 'small.bin', size: INLINE_MAX_BYTES });
    expect(await blobCounts()).toEqual(before);
    const { res, bytes: back } = await download(ada.http, up.body.file.id);
    expect(res.headers.get('content-length')).toBe(String(INLINE_MAX_BYTES));
    expect(sha256(back)).toBe(sha256(small));
    // The listing works and never carries the bytes.
    const listed = await ada.http.api('GET', '/api/files');
    expect(listed.body.owned.map((f: { id: string }) => f.id)).toContain(up.body.file.id);
    expect(JSON.stringify(listed.body)).not.toContain(Buffer.from(small).toString('base64').slice(0, 40));

    const over = randomFile(INLINE_MAX_BYTES + 1);
    const big = await apiUpload(ada.http, over, 'just-over.bin');
    expect(await blobCounts()).toEqual({ files: before.files + 1, chunks: before.chunks + 1 });
    expect(sha256((await download(ada.http, big.body.file.id)).bytes)).toBe(sha256(over));

    const empty = await apiUpload(ada.http, new Uint8Array(0), 'empty.txt');
    expect(empty.body.file).toMatchObject({ size: 0 });
    expect((await download(ada.http, empty.body.file.id)).bytes).toHaveLength(0);
  });

  test('a small file stored in GridFS before inline files existed still downloads, and its delete removes its blob', async () => {
    const [id] = await seedFiles(ada.id, { count: 1, size: 100, layout: 'gridfs', prefix: 'legacy' });
    const meta = await FileModel.findById(id).lean();
    const chunk = await mongoose.connection.db!.collection('blobs.chunks').findOne({ files_id: meta!.blobId });
    const { res, bytes } = await download(ada.http, String(id));
    expect(res.status).toBe(200);
    expect(sha256(bytes)).toBe(sha256(chunk!.data.buffer));
    const before = await blobCounts();
    expect((await ada.http.api('DELETE', `/api/files/${id}`)).status).toBe(204);
    expect(await blobCounts()).toEqual({ files: before.files - 1, chunks: before.chunks - 1 });
  });

  test('downloads are attachments with an RFC 6266 filename*, the stored type and nosniff, even for HTML', async () => {
    const name = 'Résumé "final" (v2).html';
    const up = await apiUpload(ada.http, new TextEncoder().encode('<script>alert(1)</script>'), name, { type: 'text/html' });
    expect(up.body.file).toMatchObject({ name, contentType: 'text/html' });
    for (const path of [`/api/files/${up.body.file.id}/content`, `/files/${up.body.file.id}/download`]) {
      const res = await ada.http.get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="R_sum_ _final_ (v2).html"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%20%28v2%29.html`,
      );
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  test('a client-sent path never reaches the stored name; a rename to a path is refused', async () => {
    const up = await apiUpload(ada.http, randomFile(10), 'C:\\fakepath\\report.pdf');
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.file.name).toBe('report.pdf');
    const rename = await ada.http.api('PATCH', `/api/files/${up.body.file.id}`, { name: '../etc/passwd' });
    expect(rename).toMatchObject({
      status: 400,
      body: { error: { message: 'A file name cannot contain / or \\ or control characters.' } },
    });
  });
});

describe('size limit and interrupted uploads leave no blob behind', () => {
  test('over the limit: 413 with a message, no blob, no file', async () => {
    const before = await blobCounts();
    const files = await FileModel.countDocuments();
    const up = await apiUpload(ada.http, randomFile(LIMIT + 300_000), 'big.bin');
    expect(up.status).toBe(413);
    expect(up.body.error).toEqual({ code: 'payload_too_large', message: 'The file is larger than the 1.0 MB upload limit.' });
    // The refusal is sent only once the partial blob is gone.
    expect(await blobCounts()).toEqual(before);
    expect(await FileModel.countDocuments()).toBe(files);
  });

  test('exactly at the limit is accepted', async () => {
    const up = await apiUpload(ada.http, randomFile(LIMIT), 'exact.bin');
    expect(up.status).toBe(201);
  });

  test('the upload page shows the limit error on the files page (and the browser gets it: the rest of the body is drained)', async () => {
    await ada.http.get('/files');
    const res = await ada.http.request('POST', `/files/upload?_csrf=${encodeURIComponent(ada.http.csrf)}`, {
      body: fileForm(randomFile(2 * LIMIT), 'huge.iso'),
    });
    expect(res.status).toBe(413);
    expect(ada.http.lastHtml).toContain('The file is larger than the 1.0 MB upload limit.');
    expect(ada.http.lastHtml).toContain('<h1>Files</h1>');
  });

  test('a connection cut mid-upload: chunks were already streamed to GridFS, and all of them are removed', async () => {
    const before = await blobCounts();
    const files = await FileModel.countDocuments();
    const boundary = '----entrada-test-boundary';
    const req = http.request(`${stack.env.baseUrl}/api/files`, {
      method: 'POST',
      headers: {
        cookie: ada.http.cookieHeader,
        'x-csrf-token': ada.http.csrf,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
    });
    req.on('error', () => undefined); // we are the ones cutting it
    req.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="partial.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    for (let i = 0; i < 10; i++) req.write(randomFile(64 * 1024));
    // Streaming, not buffering: chunks land in GridFS while the body is still arriving.
    await expect.poll(async () => (await blobCounts()).chunks, { timeout: 10_000, interval: 50 }).toBeGreaterThan(before.chunks);
    expect((await blobCounts()).files).toBe(before.files); // the file document is written only when complete

    const blobs = watchBlobCommands();
    req.destroy();
    // The server's last act for the upload is deleting its file document, after every chunk
    // insert still in flight has landed: from then on nothing may be written.
    await expect.poll(() => blobs.seen, { timeout: 10_000, interval: 50 }).toContain('delete blobs.files');
    await expect.poll(blobCounts, { timeout: 10_000, interval: 50 }).toEqual(before);
    blobs.stop();
    expect(blobs.seen.slice(blobs.seen.lastIndexOf('delete blobs.files'))).not.toContain('insert blobs.chunks');
    expect(await FileModel.countDocuments()).toBe(files);
  });
});

describe('rename and delete', () => {
  test('an inline file: rename keeps its bytes, delete removes it and touches no blob', async () => {
    const bytes = randomFile(2000);
    const id = (await apiUpload(ada.http, bytes, 'note.bin')).body.file.id;
    expect((await ada.http.api('PATCH', `/api/files/${id}`, { name: 'renamed-note.bin' })).status).toBe(200);
    expect(sha256((await download(ada.http, id)).bytes)).toBe(sha256(bytes));
    const before = await blobCounts();
    expect((await ada.http.api('DELETE', `/api/files/${id}`)).status).toBe(204);
    expect(await blobCounts()).toEqual(before);
    expect(await FileModel.countDocuments({ _id: id })).toBe(0);
    expect((await download(ada.http, id)).res.status).toBe(404);
  });

  test('rename changes the name; delete removes the metadata and the bytes', async () => {
    const up = await apiUpload(ada.http, randomFile(300_000), 'draft.bin');
    const id = up.body.file.id;
    const renamed = await ada.http.api('PATCH', `/api/files/${id}`, { name: '  final.bin ' });
    expect(renamed).toMatchObject({ status: 200, body: { file: { id, name: 'final.bin' } } });

    const before = await blobCounts();
    expect((await ada.http.api('DELETE', `/api/files/${id}`)).status).toBe(204);
    expect(await blobCounts()).toEqual({ files: before.files - 1, chunks: before.chunks - 2 });
    expect((await ada.http.api('GET', `/api/files/${id}`)).status).toBe(404);
    expect((await download(ada.http, id)).res.status).toBe(404);
  });

  test('the files page lists, renames and deletes through its forms', async () => {
    const up = await apiUpload(ada.http, randomFile(1000), 'page-file.bin');
    const id = up.body.file.id;
    await ada.http.get('/files');
    expect(ada.http.lastHtml).toContain(`href="/files/${id}"`);

    await ada.http.postForm(`/files/${id}/rename`, { name: 'renamed-on-page.bin' });
    expect(ada.http.lastHtml).toContain('File renamed.');
    expect(ada.http.lastHtml).toContain('<h1>renamed-on-page.bin</h1>');

    await ada.http.postForm(`/files/${id}/delete`, {});
    expect(ada.http.lastHtml).toContain('File deleted.');
    expect(ada.http.lastHtml).not.toContain(`href="/files/${id}"`);
  });

  test('the upload form posts with the CSRF token in its action and lands on the list', async () => {
    await ada.http.get('/files');
    const action = /action="(\/files\/upload\?_csrf=[^"]+)"/.exec(ada.http.lastHtml)![1].replace(/&amp;/g, '&');
    const res = await ada.http.request('POST', action, { body: fileForm(randomFile(5000), 'from-the-page.bin') });
    expect(res.status).toBe(200);
    expect(ada.http.lastHtml).toContain('File uploaded.');
    expect(ada.http.lastHtml).toContain('from-the-page.bin');
  });
});

describe('bad input: clear 4xx, nothing written', () => {
  test('multipart without a CSRF token is refused before any byte is stored', async () => {
    const before = await blobCounts();
    const res = await ada.http.request('POST', '/files/upload', { body: fileForm(randomFile(300_000), 'no-token.bin') });
    expect(res.status).toBe(403);
    const api = await ada.http.request('POST', '/api/files', {
      body: fileForm(randomFile(10), 'x.bin'),
      headers: { accept: 'application/json' },
    });
    expect(api.status).toBe(403);
    expect(await blobCounts()).toEqual(before);
  });

  test.each([
    { label: 'malformed JSON', method: 'PATCH', target: 'file', body: '{"name":', status: 400, code: 'bad_json' },
    { label: 'missing name', method: 'PATCH', target: 'file', body: '{}', status: 400, code: 'bad_request' },
    { label: 'blank name', method: 'PATCH', target: 'file', body: '{"name":"   "}', status: 400, code: 'bad_request' },
    { label: 'bad ObjectId', method: 'GET', target: '/api/files/not-an-id', status: 404, code: 'not_found' },
    { label: 'unknown ObjectId', method: 'GET', target: '/api/files/0123456789abcdef01234567', status: 404, code: 'not_found' },
    { label: 'bad ObjectId download', method: 'GET', target: '/api/files/zzz/content', status: 404, code: 'not_found' },
    { label: 'unknown route', method: 'GET', target: '/api/files/0123456789abcdef01234567/nope', status: 404, code: 'not_found' },
    { label: 'share without email', method: 'POST', target: 'file/shares', body: '{}', status: 400, code: 'bad_request' },
    {
      label: 'share with a malformed email',
      method: 'POST',
      target: 'file/shares',
      body: '{"email":"nope"}',
      status: 400,
      code: 'bad_request',
    },
    {
      label: 'JSON instead of multipart',
      method: 'POST',
      target: '/api/files',
      body: '{"name":"x"}',
      status: 415,
      code: 'unsupported_media_type',
    },
  ])('$label → $status $code', async ({ method, target, body, status, code }) => {
    const id = (await apiUpload(ada.http, randomFile(10), 'target.bin')).body.file.id;
    const path = target === 'file' ? `/api/files/${id}` : target === 'file/shares' ? `/api/files/${id}/shares` : target;
    const res = await ada.http.request(method, path, {
      body,
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': ada.http.csrf },
      redirect: 'manual',
    });
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message).toEqual(expect.any(String));
    const stored = await FileModel.findById(id).lean();
    expect(stored).toMatchObject({ name: 'target.bin', sharedWith: [] });
  });

  test('a multipart body without a file part is a 400 and stores nothing', async () => {
    const before = await blobCounts();
    const form = new FormData();
    form.append('note', 'no file here');
    const res = await ada.http.request('POST', '/api/files', {
      body: form,
      headers: { accept: 'application/json', 'x-csrf-token': ada.http.csrf },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/no file/);
    expect(await blobCounts()).toEqual(before);
  });

  test('signed out: the API answers 401, pages send you to sign in', async () => {
    const anonymous = new HttpClient(stack.env.baseUrl);
    expect((await anonymous.api('GET', '/api/files')).status).toBe(401);
    const page = await anonymous.get('/files', { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/signin?next=%2Ffiles');
  });
});
