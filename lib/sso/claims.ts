import type { ClaimMapping } from '../idp/settings';
import { SamlRejection } from '../saml/rejection';

/** The claim URIs Entra puts in SAML tokens (its defaults; see the fixtures in shared/). */
export const ENTRA_CLAIMS = {
  tenantId: 'http://schemas.microsoft.com/identity/claims/tenantid',
  objectId: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  displayName: 'http://schemas.microsoft.com/identity/claims/displayname',
  groups: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups',
  /** Sent instead of `groups` when the user is in more groups than fit in a token (150 in SAML). */
  groupsLink: 'http://schemas.microsoft.com/claims/groups.link',
  /** App roles the user is assigned for this application (the application's role values). */
  roles: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
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
  /** The org attribute's value, when the connection's mapping names one (Entra: the tenantid claim). */
  tenantId?: string;
  /**
   * The connection's stable subject, what an SSO identity is bound to: Entra's immutable `oid`,
   * an Okta user ID, a persistent NameID (the field keeps its Entra name so stored data stays valid).
   */
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
  /** True when the IdP said the groups did not fit (Entra's `groups.link`) instead of listing them. */
  groupsOverage: boolean;
  /** App role values (the `role` claim), as sent. */
  roles: string[];
  /** How the user authenticated (Entra's authnmethodsreferences), as sent. */
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

/** What mapping reads: the org attribute's name (its required value is checked after, see web/saml/acs.ts). */
export type ClaimReading = Omit<ClaimMapping, 'org'> & { org?: { attribute: string } };

/** Entra's claims in the connection's terms (lib/idp/presets.ts adds the tenancy as the tenantid's value). */
export const ENTRA_CLAIM_MAPPING = {
  subject: { from: 'attribute', attribute: ENTRA_CLAIMS.objectId },
  subjectCase: 'lower',
  email: [ENTRA_CLAIMS.email, ENTRA_CLAIMS.name],
  givenName: ENTRA_CLAIMS.givenName,
  familyName: ENTRA_CLAIMS.surname,
  displayName: ENTRA_CLAIMS.displayName,
  groups: ENTRA_CLAIMS.groups,
  groupsOverage: ENTRA_CLAIMS.groupsLink,
  roles: ENTRA_CLAIMS.roles,
  authnMethods: ENTRA_CLAIMS.authnMethods,
  org: { attribute: ENTRA_CLAIMS.tenantId },
} satisfies ClaimReading;

/** Entra's claims: email from the emailaddress claim, else the UPN (`name`), else an emailAddress NameID. */
export const mapEntraClaims = (source: ClaimSource): SsoClaims => mapClaims(ENTRA_CLAIM_MAPPING, source);

/**
 * Maps an assertion's NameID and attributes to ours by the connection's claim mapping. Email
 * comes from the mapped attributes in order, else an emailAddress-format NameID. An assertion
 * without a stable subject or a usable email cannot be bound to anyone and is refused.
 */
export function mapClaims(mapping: ClaimReading, source: ClaimSource): SsoClaims {
  const a = source.attributes ?? {};
  const nameId = source.nameID?.trim();
  const rawSubject = mapping.subject.from === 'nameid' ? nameId : single(a[mapping.subject.attribute]);
  const email = (
    mapping.email.map((name) => single(a[name])).find(Boolean) ?? (source.nameIDFormat === EMAIL_FORMAT ? nameId : undefined)
  )?.toLowerCase();
  const subjectName = mapping.subject.from === 'nameid' ? 'persistent NameID' : `${mapping.subject.attribute} attribute`;
  if (!rawSubject) throw new SamlRejection('claims-incomplete', `The assertion has no ${subjectName}`, 'a stable subject', null);
  if (!nameId) throw new SamlRejection('claims-incomplete', 'The assertion has no NameID', 'a NameID', null);
  if (!email || !EMAIL_SHAPE.test(email))
    throw new SamlRejection('claims-incomplete', 'The assertion has no usable email address', 'an email address', email ?? null);
  const optional = (key: 'displayName' | 'givenName' | 'surname' | 'tenantId', attribute: string | undefined) => {
    const value = attribute ? single(a[attribute]) : undefined;
    return value ? { [key]: value } : {};
  };
  return {
    objectId: mapping.subjectCase === 'lower' ? rawSubject.toLowerCase() : rawSubject,
    email,
    nameId,
    ...(source.nameIDFormat ? { nameIdFormat: source.nameIDFormat } : {}),
    ...(source.sessionIndex ? { sessionIndex: source.sessionIndex } : {}),
    ...optional('tenantId', mapping.org?.attribute),
    ...optional('displayName', mapping.displayName),
    ...optional('givenName', mapping.givenName),
    ...optional('surname', mapping.familyName),
    groups: mapping.groups ? values(a[mapping.groups]).map((g) => g.toLowerCase()) : [],
    groupsOverage: mapping.groupsOverage ? values(a[mapping.groupsOverage]).length > 0 : false,
    roles: mapping.roles ? values(a[mapping.roles]) : [],
    authnMethods: mapping.authnMethods ? values(a[mapping.authnMethods]) : [],
  };
}
