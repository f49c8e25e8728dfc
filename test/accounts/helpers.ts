import { expect } from 'vitest';
import { AuditEventModel, UserModel, type UserKind, type UserStatus } from '../../lib/models';
import { hashPassword } from '../../lib/passwords';
import { HttpClient } from '../support/http-client';
import { Inbox, type ReceivedEmail } from '../../scripts/lib/inbox';

/** Shared by the account tests: users made directly, sign-in by the real form, mail and audit lookups. */

export const PASSWORD = 'plenty-long-secret-42';

export async function createUser(u: { email: string; password?: string; kind?: UserKind; status?: UserStatus; confirmed?: boolean; isStaff?: boolean; displayName?: string }) {
  return UserModel.create({
    email: u.email,
    kind: u.kind ?? 'standard',
    status: u.status ?? 'active',
    displayName: u.displayName ?? u.email.split('@')[0],
    passwordHash: u.kind === 'sso' ? undefined : await hashPassword(u.password ?? PASSWORD),
    emailConfirmedAt: u.confirmed === false ? undefined : new Date(),
    isStaff: u.isStaff ?? false,
  });
}

/** Signs in through the page like a browser; returns the client and the final response. */
export async function signInWithForm(baseUrl: string, email: string, password = PASSWORD, client = new HttpClient(baseUrl)) {
  await client.get('/signin');
  const res = await client.postForm('/signin', { email, password });
  return { client, res, html: client.lastHtml };
}

export async function signedIn(baseUrl: string, email: string, password = PASSWORD): Promise<HttpClient> {
  const { client, res } = await signInWithForm(baseUrl, email, password);
  expect(res.status, client.lastHtml).toBe(200);
  expect((await client.api('GET', '/api/auth/me')).body.user?.email).toBe(email);
  return client;
}

/** The next email to `to` whose subject contains `subject`, received after `after` messages. */
export function nextEmail(inbox: Inbox, to: string, subject: string, after = 0): Promise<ReceivedEmail> {
  return inbox.waitFor((m) => inbox.messages.indexOf(m) >= after && m.to.includes(to) && m.subject.includes(subject));
}

export const tokenOf = (email: ReceivedEmail, path: string) => new URL(Inbox.link(email, path)).searchParams.get('token')!;

export const auditFor = (filter: Record<string, unknown>) => AuditEventModel.find(filter).sort({ at: 1, _id: 1 }).lean();

/** Response bodies in tests are read as loosely typed JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = async (res: Response): Promise<any> => res.json();
