/**
 * People for tests: accounts made directly in the database (registration itself is the
 * accounts tests' subject), and clients signed in through the real password form.
 */
import { expect } from 'vitest';
import { UserModel, type UserKind, type UserStatus } from '../../lib/models';
import { hashPassword } from '../../lib/passwords';
import { HttpClient } from './http-client';

export const PASSWORD = 'plenty-long-secret-42';

export interface NewUser {
  email: string;
  password?: string;
  kind?: UserKind;
  status?: UserStatus;
  /** Email confirmed (default yes). */
  confirmed?: boolean;
  isStaff?: boolean;
  displayName?: string;
  tenantId?: string;
  tenantAdminOf?: string[];
}

/** A user as registration or provisioning would leave it; password `PASSWORD` unless SSO. */
export async function createUser(u: NewUser) {
  return UserModel.create({
    email: u.email,
    kind: u.kind ?? 'standard',
    status: u.status ?? 'active',
    displayName: u.displayName ?? u.email.split('@')[0],
    passwordHash: u.kind === 'sso' ? undefined : await hashPassword(u.password ?? PASSWORD),
    emailConfirmedAt: u.confirmed === false ? undefined : new Date(),
    isStaff: u.isStaff ?? false,
    ...(u.tenantId ? { tenantId: u.tenantId } : {}),
    ...(u.tenantAdminOf ? { tenantAdminOf: u.tenantAdminOf } : {}),
  });
}

/** Signs in through the page like a browser; returns the client and the final response. */
export async function signInWithForm(baseUrl: string, email: string, password = PASSWORD, client = new HttpClient(baseUrl)) {
  await client.get('/signin');
  const res = await client.postForm('/signin', { email, password });
  return { client, res, html: client.lastHtml };
}

/**
 * A client signed in as `email`, checked by the accounts API, holding the new session's CSRF
 * token (sign-in starts a new session) as an API client would.
 */
export async function signedIn(baseUrl: string, email: string, password = PASSWORD): Promise<HttpClient> {
  const { client, res } = await signInWithForm(baseUrl, email, password);
  expect(res.status, client.lastHtml).toBe(200);
  await withCsrf(client, email);
  return client;
}

/** Asks the accounts API for the session's CSRF token, as an API client does first; checks who it is when `email` is given. */
export async function withCsrf(client: HttpClient, email?: string): Promise<HttpClient> {
  const me = await client.api('GET', '/api/auth/me');
  if (email !== undefined) expect(me.body.user?.email, `signed in as ${email}`).toBe(email);
  client.csrf = me.body.csrfToken;
  return client;
}
