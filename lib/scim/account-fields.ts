/**
 * What an Entrada account takes from a SCIM user: its email (the work address, else the
 * primary one, else the userName when it is an address), and its names. The email must be in
 * one of the tenancy's nominated domains: a tenancy can never claim an address outside them.
 */
import type { Doc } from './attribute-paths';
import { emailDomain } from '../sso/domains';
import { invalidValue } from './errors';

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export interface AccountFields {
  email: string;
  displayName?: string;
  givenName?: string;
  surname?: string;
}

export function accountFields(resource: Doc, domains: string[]): AccountFields {
  const emails = (resource.emails as Doc[] | undefined) ?? [];
  const pick = emails.find((e) => String(e.type).toLowerCase() === 'work') ?? emails.find((e) => e.primary === true) ?? emails[0];
  const raw = (pick?.value as string | undefined) ?? (EMAIL.test(String(resource.userName)) ? (resource.userName as string) : undefined);
  if (!raw) throw invalidValue('the user has no email address: send emails[type eq "work"].value, or a userName that is an address');
  const email = raw.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254) throw invalidValue(`"${raw}" is not an email address`);
  if (!domains.includes(emailDomain(email))) {
    throw invalidValue(
      `${email} is outside this tenancy's nominated domains (${domains.join(', ') || 'none yet'}): a tenancy can only provision addresses in its own domains`,
    );
  }
  const name = (resource.name as Doc | undefined) ?? {};
  const givenName = name.givenName as string | undefined;
  const surname = name.familyName as string | undefined;
  const displayName =
    (resource.displayName as string | undefined) ??
    (name.formatted as string | undefined) ??
    ([givenName, surname].filter(Boolean).join(' ') || undefined);
  return {
    email,
    ...(displayName ? { displayName: displayName.slice(0, 200) } : {}),
    ...(givenName ? { givenName: givenName.slice(0, 100) } : {}),
    ...(surname ? { surname: surname.slice(0, 100) } : {}),
  };
}

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The Entra object ID, which the account is bound to. Entra's default mapping sends
 * `mailNickname` as externalId; Entrada needs `objectId` there (README: SCIM set-up), so
 * anything but a GUID is refused with that advice rather than bound to a mutable name.
 */
export function objectIdOf(resource: Doc): string {
  const value = typeof resource.externalId === 'string' ? resource.externalId.trim().toLowerCase() : '';
  if (!OBJECT_ID.test(value)) {
    throw invalidValue(
      `externalId must be the user's Entra object ID (a GUID), got ${JSON.stringify(resource.externalId ?? null)}: map objectId to externalId in the provisioning attribute mappings`,
    );
  }
  return value;
}
