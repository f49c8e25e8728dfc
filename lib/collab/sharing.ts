import { audit } from '../audit';
import { badRequest, conflict, notFound } from '../errors';
import { FileModel } from '../models';
import { auditedBy, fileFor, objectId, type Actor } from './access';
import { peopleByIds, personByEmail, type Person } from './people';

/**
 * Sharing a file with individual users, standard or SSO, in any tenant or none. Only the
 * owner shares and unshares; a share gives read access (see access.ts). Each change is one
 * atomic update of the file document and is audited.
 */

export async function listShares(actor: Actor, fileId: string): Promise<Person[]> {
  const { file } = await fileFor(actor, fileId, 'share');
  const people = await peopleByIds(file.sharedWith);
  return file.sharedWith.flatMap((id) => people.get(String(id)) ?? []);
}

export async function shareFile(actor: Actor, fileId: string, email: string): Promise<Person> {
  const { file } = await fileFor(actor, fileId, 'share');
  const person = await personByEmail(email);
  if (person.id === actor.id) throw badRequest('You own this file already; share it with someone else.');
  const updated = await FileModel.updateOne({ _id: file._id, sharedWith: { $ne: person.id } }, { $push: { sharedWith: person.id } });
  if (updated.matchedCount === 0) throw conflict(`The file is already shared with ${person.email}.`);
  await audit({
    ...auditedBy(actor),
    action: 'file.share',
    outcome: 'success',
    target: { type: 'file', id: String(file._id) },
    details: { name: file.name, withUserId: person.id, withEmail: person.email, withKind: person.kind },
  });
  return person;
}

export async function unshareFile(actor: Actor, fileId: string, userId: string): Promise<void> {
  const { file } = await fileFor(actor, fileId, 'share');
  const uid = objectId(userId, 'This file is not shared with that user.');
  const updated = await FileModel.updateOne({ _id: file._id, sharedWith: uid }, { $pull: { sharedWith: uid } });
  if (updated.matchedCount === 0) throw notFound('This file is not shared with that user.');
  const person = (await peopleByIds([uid])).get(userId);
  await audit({
    ...auditedBy(actor),
    action: 'file.unshare',
    outcome: 'success',
    target: { type: 'file', id: String(file._id) },
    details: { name: file.name, withUserId: userId, withEmail: person?.email },
  });
}
