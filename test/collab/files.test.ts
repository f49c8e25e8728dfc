import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestEnv, type TestEnv } from '../support/env';
import { apiUpload, blobCounts, download, person, randomFile, sha256, type TestPerson } from './support';

let env: TestEnv;
let ada: TestPerson;
beforeAll(async () => {
  env = await createTestEnv({ UPLOAD_MAX_BYTES: String(1024 * 1024) });
  await env.startWeb();
  ada = await person(env.baseUrl, 'ada@example.test');
});
afterAll(() => env.teardown());

describe('upload and download', () => {
  test('a random binary file comes back byte for byte', async () => {
    const bytes = randomFile(700_000);
    const up = await apiUpload(ada.http, bytes, 'data.bin');
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.file).toMatchObject({ name: 'data.bin', size: bytes.length, contentType: 'application/octet-stream' });
    const { res, bytes: back } = await download(ada.http, up.body.file.id);
    expect(res.status).toBe(200);
    expect(sha256(back)).toBe(sha256(bytes));
    expect(await blobCounts()).toEqual({ files: 1, chunks: 3 });
  });
});
