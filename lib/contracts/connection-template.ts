/**
 * A non-Entra connection's choices, fixed when its onboarding starts (the IdP's metadata gives
 * the rest): pure types, shared by the onboarding workflow's input and lib/idp (whose zod
 * schemas in lib/idp/settings.ts validate exactly these shapes).
 */
export type ConnectionKind = 'entra' | 'okta' | 'saml';

export interface ClaimMapping {
  /** The stable subject an identity is bound to: the (persistent) NameID or a named attribute. */
  subject: { from: 'nameid' } | { from: 'attribute'; attribute: string };
  /** 'lower' for subjects that are GUIDs (Entra's object ID); opaque IDs are compared exactly. */
  subjectCase: 'exact' | 'lower';
  /** Attributes tried in order; an emailAddress-format NameID is the last resort. */
  email: string[];
  givenName?: string | undefined;
  familyName?: string | undefined;
  displayName?: string | undefined;
  groups?: string | undefined;
  /** Entra only: sent instead of the groups when there are too many for a token. */
  groupsOverage?: string | undefined;
  /** App roles the user holds for this application (gates and the tenancy-admin mapping read them). */
  roles?: string | undefined;
  /** Entra only: how the user authenticated (the MFA policy reads it). */
  authnMethods?: string | undefined;
  /** An attribute that must carry this value (compared case-insensitively): the IdP's tenant/org. */
  org?: { attribute: string; value: string } | undefined;
}

export interface ConnectionTemplate {
  kind: ConnectionKind;
  signing: 'assertion' | 'response' | 'both';
  nameIdFormat: 'unspecified' | 'email' | 'persistent';
  claims: ClaimMapping;
}
