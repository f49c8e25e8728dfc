/**
 * A SAML Response as Okta sends it: `saml2p:`/`saml2:` prefixes, `id<digits>` IDs, Response and
 * Assertion both signed, NameID in the app's format (emailAddress by default), and the
 * attribute statements an Entrada app is set up with: userId (user.id), email, firstName,
 * lastName, and the group attribute statement `groups` (group names, not IDs).
 */
import { randomInt } from 'node:crypto';
import type { IssueSamlResponseInput, IssuedSamlResponse } from '../index';
import { userNotFoundInDirectory } from '../errors';
import { attribute, buildSignedResponse, type AttributeStyle } from '../response-xml';
import { oktaUserId, OKTA_NAMEID_FORMATS, type OktaApp } from './org';

const UNSPECIFIED: AttributeStyle = { nameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified', typedValues: true };
const oktaId = () => `id${Array.from({ length: 20 }, () => randomInt(10)).join('')}`;

export function buildOktaResponse(app: OktaApp, input: IssueSamlResponseInput): IssuedSamlResponse {
  const user = app.findUser(input.email);
  if (!user) throw userNotFoundInDirectory(input.email, app.appId);
  const userId = oktaUserId(user);
  const org = app.orgAttribute;
  return buildSignedResponse(
    {
      issuer: app.issuer,
      nameId: { format: OKTA_NAMEID_FORMATS[app.nameId], value: app.nameId === 'email' ? user.email : userId },
      attributes: (el) =>
        [
          attribute(el, 'userId', [userId], UNSPECIFIED),
          attribute(el, 'email', [user.email], UNSPECIFIED),
          attribute(el, 'firstName', user.givenName ? [user.givenName] : [], UNSPECIFIED),
          attribute(el, 'lastName', user.surname ? [user.surname] : [], UNSPECIFIED),
          org ? attribute(el, org.name, [input.overrides?.tenantIdClaim ?? org.value], UNSPECIFIED) : '',
          attribute(el, 'groups', user.groups, UNSPECIFIED),
        ].join(''),
      signing: 'both',
      key: app.signingKey(),
      protocolPrefix: 'saml2p',
      assertionPrefix: 'saml2',
      newId: oktaId,
      inclusivePrefixes: ['xs'],
    },
    input,
  );
}
