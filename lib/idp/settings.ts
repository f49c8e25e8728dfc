import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import type { ClaimMapping } from '../contracts/connection-template';
import { badRequest } from '../errors';

/**
 * A tenancy's connection to its identity provider: which kind of IdP it is and the settings
 * the SP checks every sign-in against. `entra` is Microsoft Entra ID (today's behaviour),
 * `okta` an Okta SAML app (lib/idp/presets.ts fills the shapes in), `saml` any other SAML 2.0
 * IdP with explicit settings (ADFS, Ping, Keycloak, Google Workspace, ...).
 */
export const CONNECTION_KINDS = ['entra', 'okta', 'saml'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

/** How we send the AuthnRequest to the IdP's SSO URL. */
export const SSO_BINDINGS = ['redirect', 'post'] as const;
export type SsoBinding = (typeof SSO_BINDINGS)[number];

/** Which signatures a response must carry: the Assertion's, the Response's, or both. */
export const SIGNED_PARTS = ['assertion', 'response', 'both'] as const;

export const NAMEID_FORMATS = {
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  email: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
} as const;

const attributeName = z.string().trim().min(1).max(300);

export const claimMappingSchema = z.strictObject({
  /** The stable subject an identity is bound to: the (persistent) NameID or a named attribute. */
  subject: z.discriminatedUnion('from', [
    z.strictObject({ from: z.literal('nameid') }),
    z.strictObject({ from: z.literal('attribute'), attribute: attributeName }),
  ]),
  /** 'lower' for subjects that are GUIDs (Entra's object ID); opaque IDs are compared exactly. */
  subjectCase: z.enum(['exact', 'lower']).default('exact'),
  /** Attributes tried in order; an emailAddress-format NameID is the last resort. */
  email: z.array(attributeName).min(1),
  givenName: attributeName.optional(),
  familyName: attributeName.optional(),
  displayName: attributeName.optional(),
  groups: attributeName.optional(),
  /** Entra only: sent instead of the groups when there are too many for a token. */
  groupsOverage: attributeName.optional(),
  /** App roles the user holds for this application (gates and the tenancy-admin mapping read them). */
  roles: attributeName.optional(),
  /** Entra only: how the user authenticated (the MFA policy reads it). */
  authnMethods: attributeName.optional(),
  /** An attribute that must carry this value (compared case-insensitively): the IdP's tenant/org. */
  org: z.strictObject({ attribute: attributeName, value: z.string().trim().min(1) }).optional(),
});
export type { ClaimMapping };
// The schema validates exactly the contract's shape (lib/contracts/connection-template.ts).
claimMappingSchema satisfies z.ZodType<ClaimMapping>;

const pem = z.string().refine((value) => {
  try {
    new X509Certificate(value);
    return true;
  } catch {
    return false;
  }
}, 'not a PEM X.509 certificate');

const url = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

export const connectionSettingsSchema = z.strictObject({
  kind: z.enum(CONNECTION_KINDS),
  /** The IdP's entity ID: every Response and Assertion Issuer must equal it. */
  idpEntityId: z.string().trim().min(1).max(500),
  certificates: z.array(pem).min(1, 'at least one IdP signing certificate is required'),
  ssoUrl: url,
  ssoBinding: z.enum(SSO_BINDINGS),
  sloUrl: url.optional(),
  signing: z.enum(SIGNED_PARTS),
  nameIdFormat: z.enum(Object.keys(NAMEID_FORMATS) as [keyof typeof NAMEID_FORMATS]),
  claims: claimMappingSchema,
});
export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;
export type ConnectionSettingsInput = z.input<typeof connectionSettingsSchema>;

/**
 * Parses settings someone wants to save. Refuses (InvalidInput) with the first bad field named,
 * e.g. `ssoUrl: must use https in production`. In production the IdP's URLs must be https:
 * an AuthnRequest or logout over plain http can be read and rewritten on the way.
 */
export function validateConnectionSettings(input: unknown, opts: { production: boolean }): ConnectionSettings {
  const parsed = connectionSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(settings)';
    throw badRequest(`Connection settings refused: ${field}: ${issue.message}`, { field });
  }
  const settings = parsed.data;
  if (opts.production) {
    for (const field of ['ssoUrl', 'sloUrl'] as const) {
      const value = settings[field];
      if (value && !value.startsWith('https://'))
        throw badRequest(`Connection settings refused: ${field}: must use https in production`, { field });
    }
  }
  if (settings.claims.subject.from === 'nameid' && settings.nameIdFormat !== 'persistent')
    throw badRequest('Connection settings refused: claims.subject: a NameID subject needs nameIdFormat persistent', {
      field: 'claims.subject',
    });
  return settings;
}
