import type { Types } from 'mongoose';
import { notFound } from '../errors';
import { findEach } from '../find-each';
import { UserModel, type UserKind } from '../models';

/**
 * Looking people up by email, for sharing, hub membership, meetings and contacts. Only active
 * accounts count: a deleted or half-deleted user cannot receive anything new.
 */

export interface Person {
  id: string;
  email: string;
  displayName?: string | null;
  kind: UserKind;
}

const unknownUser = (emails: string[]) =>
  notFound(
    emails.length === 1
      ? `There is no Entrada user with the email ${emails[0]}. Ask them to register or send them an invite first.`
      : `There are no Entrada users with the emails ${emails.join(', ')}. Ask them to register or send them an invite first.`,
    { reason: 'unknown_user' },
  );

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function personByEmail(email: string): Promise<Person> {
  const [person] = await peopleByEmails([email]);
  return person;
}

/** All of them or a 404 naming the unknown ones. */
export async function peopleByEmails(emails: string[]): Promise<Person[]> {
  const wanted = [...new Set(emails.map(normalizeEmail))];
  const users = await findEach(UserModel, 'email', wanted, {
    where: { status: 'active' },
    projection: { email: 1, displayName: 1, kind: 1 },
  });
  const missing = wanted.filter((e) => !users.some((u) => u.email === e));
  if (missing.length) throw unknownUser(missing);
  return users.map(toPerson);
}

/** For display: the people behind a list of user IDs (deleted users simply drop out). */
export async function peopleByIds(ids: Array<Types.ObjectId | string>): Promise<Map<string, Person>> {
  const users = await findEach(UserModel, '_id', ids, { projection: { email: 1, displayName: 1, kind: 1 } });
  return new Map(users.map((u) => [String(u._id), toPerson(u)]));
}

function toPerson(u: { _id: unknown; email: string; displayName?: string | null; kind: UserKind }): Person {
  return { id: String(u._id), email: u.email, displayName: u.displayName, kind: u.kind };
}

/** MongoDB (and FerretDB) report a unique-index violation as error code 11000. */
export const isDuplicateKey = (err: unknown) => (err as { code?: number })?.code === 11000;
