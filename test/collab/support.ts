import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import mongoose from 'mongoose';
import { writeBlob } from '../../lib/collab/file-storage';
import type { Actor } from '../../lib/collab/access';
import type { UserKind } from '../../lib/models';
import type { HttpClient } from '../support/http-client';
import { createUser, signedIn } from '../support/people';

/** Collaboration test support: people with signed-in clients, uploads as a browser sends them, blob counts. */

export interface TestPerson {
  id: string;
  email: string;
  actor: Actor;
  /** Signed in through the real /signin form (standard users only; SSO users act through the services). */
  http: HttpClient;
}

export async function person(baseUrl: string, email: string, kind: UserKind = 'standard'): Promise<TestPerson> {
  const user = await createUser({ email, kind });
  const actor = { id: String(user._id), email: user.email };
  return { id: actor.id, email: actor.email, actor, http: kind === 'standard' ? await signedIn(baseUrl, email) : (undefined as never) };
}

/** Several people, made in order as `person` makes them; each is an email, or `[email, kind]`. */
export async function people(baseUrl: string, ...who: (string | [string, UserKind])[]): Promise<TestPerson[]> {
  const made: TestPerson[] = [];
  for (const w of who) made.push(await (typeof w === 'string' ? person(baseUrl, w) : person(baseUrl, ...w)));
  return made;
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
export const randomFile = (size: number) => new Uint8Array(randomBytes(size));

/** A multipart/form-data body with one file part, built by fetch exactly as a browser would. */
export function fileForm(bytes: Uint8Array, name: string, type = 'application/octet-stream'): FormData {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  return form;
}

/** POST /api/files[?hubId=] on the user's session; returns status and parsed JSON. */
export async function apiUpload(http: HttpClient, bytes: Uint8Array, name: string, opts: { hubId?: string; type?: string } = {}) {
  const res = await http.request('POST', `/api/files${opts.hubId ? `?hubId=${opts.hubId}` : ''}`, {
    body: fileForm(bytes, name, opts.type),
    headers: { accept: 'application/json', 'x-csrf-token': http.csrf },
    redirect: 'manual',
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as any };
}

export async function download(http: HttpClient, fileId: string) {
  const res = await http.get(`/api/files/${fileId}/content`, { redirect: 'manual' });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** What GridFS holds right now: an upload that failed must leave both at their previous values. */
export async function blobCounts(): Promise<{ files: number; chunks: number }> {
  const db = mongoose.connection.db!;
  const [files, chunks] = await Promise.all([
    db.collection('blobs.files').countDocuments(),
    db.collection('blobs.chunks').countDocuments(),
  ]);
  return { files, chunks };
}

/** For service-level tests: a ReceivedFile source that stores `bytes` the way an upload would. */
export function bytesUpload(name: string, bytes: Uint8Array = new TextEncoder().encode(`contents of ${name}`), contentType = 'text/plain') {
  return async () => ({
    filename: name,
    contentType,
    blob: await writeBlob(Readable.from([Buffer.from(bytes)]), { filename: name, contentType, maxBytes: 1 << 30 }),
  });
}
