import { SamlRejection } from '../saml/rejection';

/** The claim URIs Entra puts in SAML tokens (its defaults; see the fixtures in shared/). */
export const ENTRA_CLAIMS = {
  tenantId: 'http://schemas.microsoft.com/identity/claims/tenantid',
  objectId: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  displayName: 'http://schemas.microsoft.com/identity/claims/displayname',
  groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
  /** Sent instead of `groups` when the user is in more groups than fit in a token (150 in SAML). */
  groupsLink: 'http://schemas.microsoft.com/claims/groups.link',
  givenName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  surname: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  /** The user principal name, Entra's default NameID source. */
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  /** How the user authenticated: Entra lists `http://schemas.microsoft.com/claims/multipleauthn` after MFA. */
  authnMethods: 'http://schemas.microsoft.com/claims/authnmethodsreferences',
} as const;

const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface SsoClaims {
  tenantId?: string;
  /** Immutable `oid`: what an SSO identity is bound to. */
  objectId: string;
  /** Lower-cased; only used at first contact (provisioning, migration, recreation). */
  email: string;
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
  displayName?: string;
  givenName?: string;
  surname?: string;
  groups: string[];
  /** True when Entra sent `groups.link` instead of the group list. */
  groupsOverage: boolean;
  /** The authnmethodsreferences values, as sent. */
  authnMethods: string[];
  /** The ID of the verified assertion these came from (the sign-in's audit event records it). */
  assertionId?: string;
  /** The response answered no request of ours: the user started at Entra (My Apps). */
  idpInitiated?: boolean;
}

/** What node-saml's Profile offers (and what a test can build from any verified assertion). */
export interface ClaimSource {
  nameID?: string | null;
  nameIDFormat?: string | null;
  sessionIndex?: string;
  attributes?: Record<string, unknown>;
}

const values = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v])
    .filter((x): x is string => typeof x === 'string')
    .map((s) => s.trim())
    .filter(Boolean);
const single = (v: unknown): string | undefined => values(v)[0];

/**
 * Maps Entra's claims to ours. Email comes from the emailaddress claim, else the UPN (`name`),
 * else an emailAddress-format NameID. An assertion without an object ID or a usable email
 * cannot be bound to anyone and is refused.
 */
export function mapEntraClaims(source: ClaimSource): SsoClaims {
  const a = source.attributes ?? {};
  const objectId = single(a[ENTRA_CLAIMS.objectId]);
  const nameId = source.nameID?.trim();
  const email = (
    single(a[ENTRA_CLAIMS.email]) ??
    single(a[ENTRA_CLAIMS.name]) ??
    (source.nameIDFormat === EMAIL_FORMAT ? nameId : undefined)
  )?.toLowerCase();
  if (!objectId) throw new SamlRejection('claims-incomplete', 'The assertion has no objectidentifier claim', 'an object ID', null);
  if (!nameId) throw new SamlRejection('claims-incomplete', 'The assertion has no NameID', 'a NameID', null);
  if (!email || !EMAIL_SHAPE.test(email))
    throw new SamlRejection('claims-incomplete', 'The assertion has no usable email address', 'an email address', email ?? null);
  const optional = (key: 'displayName' | 'givenName' | 'surname' | 'tenantId') => {
    const value = single(a[ENTRA_CLAIMS[key]]);
    return value ? { [key]: value } : {};
  };
  return {
    objectId: objectId.toLowerCase(),
    email,
    nameId,
    ...(source.nameIDFormat ? { nameIdFormat: source.nameIDFormat } : {}),
    ...(source.sessionIndex ? { sessionIndex: source.sessionIndex } : {}),
    ...optional('tenantId'),
    ...optional('displayName'),
    ...optional('givenName'),
    ...optional('surname'),
    groups: values(a[ENTRA_CLAIMS.groups]).map((g) => g.toLowerCase()),
    groupsOverage: values(a[ENTRA_CLAIMS.groupsLink]).length > 0,
    authnMethods: values(a[ENTRA_CLAIMS.authnMethods]),
  };
}
