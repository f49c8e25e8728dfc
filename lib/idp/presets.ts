import { ENTRA_CLAIM_MAPPING, ENTRA_CLAIMS } from '../sso/claims';
import type { ConnectionTemplate } from './from-metadata';
import type { ClaimMapping, ConnectionSettingsInput } from './settings';

/**
 * What a kind fills in, so staff enter only what differs per customer. Entra's mapping is
 * today's claim URIs, with the tenantid claim as the org attribute (it must name the tenancy).
 */
export const entraClaims = (tenantId: string): ClaimMapping => ({
  ...ENTRA_CLAIM_MAPPING,
  org: { attribute: ENTRA_CLAIMS.tenantId, value: tenantId.toLowerCase() },
});

/**
 * Okta's SAML app: Issuer `http://www.okta.com/<app id>`, Response and Assertion both signed,
 * attribute statements `email`, `firstName`, `lastName` and the group statement `groups`.
 * With the emailAddress NameID, the stable subject is a `userId` attribute statement mapped to
 * `user.id` (an email can be reassigned); with the persistent NameID, that NameID is the subject.
 */
export const OKTA_ATTRIBUTES = { userId: 'userId', email: 'email', givenName: 'firstName', familyName: 'lastName', groups: 'groups' };

export interface OktaPresetInput {
  /** Okta's "Identity Provider Issuer": http://www.okta.com/<app id>. */
  idpEntityId: string;
  ssoUrl: string;
  certificates: string[];
  sloUrl?: string;
  nameId?: 'email' | 'persistent';
  org?: ClaimMapping['org'];
}

/** The Okta preset's choices; the app's metadata gives the issuer, URLs and certificate. */
export function oktaTemplate(nameId: 'email' | 'persistent' = 'email', org?: ClaimMapping['org']): ConnectionTemplate {
  return {
    kind: 'okta',
    signing: 'both',
    nameIdFormat: nameId,
    claims: {
      subject: nameId === 'persistent' ? { from: 'nameid' } : { from: 'attribute', attribute: OKTA_ATTRIBUTES.userId },
      subjectCase: 'exact',
      email: [OKTA_ATTRIBUTES.email],
      givenName: OKTA_ATTRIBUTES.givenName,
      familyName: OKTA_ATTRIBUTES.familyName,
      groups: OKTA_ATTRIBUTES.groups,
      ...(org ? { org } : {}),
    },
  };
}

export function oktaSettings(input: OktaPresetInput): ConnectionSettingsInput {
  return {
    ...oktaTemplate(input.nameId, input.org),
    idpEntityId: input.idpEntityId,
    certificates: input.certificates,
    ssoUrl: input.ssoUrl,
    ssoBinding: 'redirect',
    ...(input.sloUrl ? { sloUrl: input.sloUrl } : {}),
  };
}
