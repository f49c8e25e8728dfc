import { findEach } from '../find-each';
import { audit } from '../audit';
import { badRequest } from '../errors';
import { FileModel, HubModel, type FileMeta } from '../models';
import { auditedBy, fileFor, fileRights, hubFor, rolesIn, type Actor } from './access';
import { deleteBlob, openBlob, storedFields, type StoredBlob } from './file-storage';
import { peopleByIds, type Person } from './people';

/** Files: upload, list, read, rename, delete. Sharing is in sharing.ts. */

export interface FileView {
  id: string;
  name: string;
  size: number;
  contentType: string;
  owner: Person | null;
  hub: { id: string; name: string } | null;
  sharedWithCount: number;
  createdAt: Date;
  updatedAt: Date;
  /** What the viewer may do with it. */
  rights: { manage: boolean; share: boolean };
}

/** What the transport hands over once the bytes are stored: the client's file name and type. */
export interface ReceivedFile {
  filename: string;
  contentType: string;
  blob: StoredBlob;
}

/**
 * Membership is checked before a single byte is stored; the metadata is written only once the
 * blob is complete, and if that write fails the blob goes too.
 */
export async function uploadFile(actor: Actor, input: { hubId?: string; receive: () => Promise<ReceivedFile> }): Promise<FileView> {
  const hub = input.hubId ? (await hubFor(actor, input.hubId, 'upload')).hub : undefined;
  const { filename, contentType, blob } = await input.receive();
  let file;
  try {
    file = await FileModel.create({
      ownerId: actor.id,
      hubId: hub?._id,
      name: uploadedFileName(filename),
      size: blob.size,
      contentType: cleanContentType(contentType),
      ...storedFields(blob),
    });
  } catch (err) {
    await deleteBlob(blob.id);
    throw err;
  }
  await audit({
    ...auditedBy(actor),
    action: 'file.upload',
    outcome: 'success',
    target: { type: 'file', id: String(file._id) },
    details: { name: file.name, size: file.size, contentType: file.contentType, hubId: hub ? String(hub._id) : undefined },
  });
  return (await fileViews(actor, [file]))[0];
}

export async function listMyFiles(actor: Actor): Promise<{ owned: FileView[]; shared: FileView[] }> {
  const [owned, shared] = await Promise.all([
    FileModel.find({ ownerId: actor.id }).sort({ createdAt: -1 }),
    FileModel.find({ sharedWith: actor.id }).sort({ createdAt: -1 }),
  ]);
  return { owned: await fileViews(actor, owned), shared: await fileViews(actor, shared) };
}

export async function listHubFiles(actor: Actor, hubId: string): Promise<FileView[]> {
  const { hub } = await hubFor(actor, hubId, 'read');
  return fileViews(actor, await FileModel.find({ hubId: hub._id }).sort({ createdAt: -1 }));
}

export async function getFile(actor: Actor, fileId: string): Promise<FileView> {
  const { file } = await fileFor(actor, fileId, 'read');
  await auditRead(actor, 'file.view', file);
  return (await fileViews(actor, [file]))[0];
}

export async function openFileContent(actor: Actor, fileId: string) {
  const { file } = await fileFor(actor, fileId, 'read');
  await auditRead(actor, 'file.download', file);
  return { name: file.name, size: file.size, contentType: file.contentType, stream: openBlob(file) };
}

/** Who looked at which file: customers' SIEMs expect reads as well as changes. */
function auditRead(
  actor: Actor,
  action: 'file.view' | 'file.download',
  file: { _id: unknown; name: string; size: number; ownerId: unknown; hubId?: unknown },
) {
  return audit({
    ...auditedBy(actor),
    action,
    outcome: 'success',
    target: { type: 'file', id: String(file._id) },
    details: { name: file.name, size: file.size, ownerId: String(file.ownerId), hubId: file.hubId ? String(file.hubId) : undefined },
  });
}

export async function renameFile(actor: Actor, fileId: string, name: string): Promise<FileView> {
  const { file } = await fileFor(actor, fileId, 'manage');
  const from = file.name;
  file.name = validFileName(name);
  await file.save();
  await audit({
    ...auditedBy(actor),
    action: 'file.rename',
    outcome: 'success',
    target: { type: 'file', id: String(file._id) },
    details: { from, to: file.name },
  });
  return (await fileViews(actor, [file]))[0];
}

/** Metadata first, then any GridFS bytes: a crash in between leaves an unreachable blob, never a broken file. */
export async function deleteFile(actor: Actor, fileId: string): Promise<void> {
  const { file } = await fileFor(actor, fileId, 'manage');
  await FileModel.deleteOne({ _id: file._id });
  await deleteBlob(file.blobId);
  await audit({
    ...auditedBy(actor),
    action: 'file.delete',
    outcome: 'success',
    target: { type: 'file', id: String(file._id) },
    details: { name: file.name, size: file.size, ownerId: String(file.ownerId), hubId: file.hubId ? String(file.hubId) : undefined },
  });
}

/** A name given by a person: trimmed, 1-255 characters, no path separators or control characters. */
function validFileName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw badRequest('A file name cannot be empty.');
  if (trimmed.length > 255) throw badRequest('A file name has at most 255 characters.');
  // eslint-disable-next-line no-control-regex
  if (/[\\/\u0000-\u001f\u007f]/.test(trimmed)) throw badRequest('A file name cannot contain / or \\ or control characters.');
  return trimmed;
}

/** A name sent by a client with its upload: keep what is usable rather than refuse the bytes. */
function uploadedFileName(name: string): string {
  const base = name
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex -- control characters are what it removes
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return base.slice(0, 255) || 'upload';
}

function cleanContentType(type: string): string {
  const t = type.trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(t) ? t : 'application/octet-stream';
}

type FileDoc = FileMeta & { _id: unknown; createdAt: Date; updatedAt: Date };

async function fileViews(actor: Actor, files: FileDoc[]): Promise<FileView[]> {
  const [people, hubs] = await Promise.all([
    peopleByIds(files.map((f) => f.ownerId)),
    findEach(
      HubModel,
      '_id',
      files.flatMap((f) => (f.hubId ? [f.hubId] : [])),
      { projection: { name: 1 } },
    ),
  ]);
  const roles = await rolesIn(
    actor,
    hubs.map((h) => h._id),
  );
  return files.map((f) => {
    const hub = hubs.find((h) => String(h._id) === String(f.hubId));
    const rights = fileRights(actor, f, hub && roles.get(String(hub._id)));
    return {
      id: String(f._id),
      name: f.name,
      size: f.size,
      contentType: f.contentType,
      owner: people.get(String(f.ownerId)) ?? null,
      hub: hub ? { id: String(hub._id), name: hub.name } : null,
      sharedWithCount: f.sharedWith.length,
      createdAt: f.createdAt,
      updatedAt: f.updatedAt,
      rights: { manage: rights.manage, share: rights.share },
    };
  });
}
