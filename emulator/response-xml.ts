/**
 * A signed SAML 2.0 Response, in the shape each emulated IdP gives it. The IdP decides the
 * issuer, the NameID, the attribute statement, what it signs and with which key, and whether
 * assertion elements are prefixed (Okta: `saml2:`) or in the default namespace (Entra). The
 * protocol rules (lifetimes, confirmation, audience, overrides for attack tests) are shared.
 */
import { randomUUID } from 'node:crypto';
import type { IssueSamlResponseInput, IssuedSamlResponse, SigningMode } from './index';
import { EmulatorError } from './errors';
import { isHttpUrl } from './urls';
import { NS, samlTime, signEnveloped, x } from './xml';

const MINUTE = 60_000;

export interface ResponseShape {
  issuer: string;
  nameId: { format: string; value: string };
  /** The AttributeStatement's content, written with `el` (see `attribute`). */
  attributes: (el: ElementName) => string;
  signing: SigningMode;
  key: { privateKeyPem: string; certPem: string };
  /** Element prefixes: Entra writes `samlp:` and unprefixed assertions, Okta `saml2p:` and `saml2:`. */
  protocolPrefix: string;
  assertionPrefix?: string;
  /** `ID` values: Entra's `_<guid>`, Okta's `id<digits>`. */
  newId: () => string;
  /**
   * Prefixes the signatures' exclusive canonicalization keeps although no element uses them:
   * Okta lists `xs`, declared on each typed AttributeValue and used only inside `xsi:type`.
   * (xml-crypto's signer also writes a copy under the enveloped transform, which verifiers ignore.)
   */
  inclusivePrefixes?: string[];
}

/** Names an element of the assertion namespace with the shape's prefix. */
export type ElementName = (local: string) => string;

/** Okta's attribute statements: a NameFormat, and values typed xs:string. */
export interface AttributeStyle {
  nameFormat: string;
  typedValues: boolean;
}
const XS = 'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string"';

/** One attribute; omitted when it has no values (neither Entra nor Okta sends empty ones). */
export function attribute(el: ElementName, name: string, values: string[], style?: AttributeStyle): string {
  if (values.length === 0) return '';
  const format = style ? ` NameFormat="${x(style.nameFormat)}"` : '';
  const value = `${el('AttributeValue')}${style?.typedValues ? ` ${XS}` : ''}`;
  return `<${el('Attribute')} Name="${x(name)}"${format}>${values.map((v) => `<${value}>${x(v)}</${el('AttributeValue')}>`).join('')}</${el('Attribute')}>`;
}

export const guidId = () => `_${randomUUID()}`;

/**
 * Lifetimes are Entra's (Okta's are alike): Conditions from 5 minutes before to 1 hour after
 * issue, SubjectConfirmationData valid for 5 minutes.
 */
export function buildSignedResponse(shape: ResponseShape, input: IssueSamlResponseInput): IssuedSamlResponse {
  if (!isHttpUrl(input.acsUrl)) throw new EmulatorError(400, `acsUrl must be an absolute http(s) URL, got '${input.acsUrl}'`);
  if (!input.audience) throw new EmulatorError(400, 'audience (the SP entity ID) is required');

  const o = input.overrides ?? {};
  const now = input.now ?? new Date();
  const issuer = o.issuer ?? shape.issuer;
  const responseId = shape.newId();
  const assertionId = shape.newId();
  const notBefore = o.notBefore ?? new Date(now.getTime() - 5 * MINUTE);
  const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + 60 * MINUTE);
  const confirmationEnd = o.notOnOrAfter ?? new Date(now.getTime() + 5 * MINUTE);
  const inResponseTo = input.inResponseTo ? ` InResponseTo="${x(input.inResponseTo)}"` : '';
  const a = shape.assertionPrefix;
  const el: ElementName = (local) => (a ? `${a}:${local}` : local);
  const xmlnsA = a ? `xmlns:${a}="${NS.saml}"` : `xmlns="${NS.saml}"`;
  const p = (local: string) => `${shape.protocolPrefix}:${local}`;

  const assertion =
    `<${el('Assertion')} ${xmlnsA} ID="${assertionId}" IssueInstant="${samlTime(now)}" Version="2.0">` +
    `<${el('Issuer')}>${x(issuer)}</${el('Issuer')}>` +
    `<${el('Subject')}><${el('NameID')} Format="${x(shape.nameId.format)}">${x(shape.nameId.value)}</${el('NameID')}>` +
    `<${el('SubjectConfirmation')} Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<${el('SubjectConfirmationData')}${inResponseTo} NotOnOrAfter="${samlTime(confirmationEnd)}" Recipient="${x(o.recipient ?? input.acsUrl)}" />` +
    `</${el('SubjectConfirmation')}></${el('Subject')}>` +
    `<${el('Conditions')} NotBefore="${samlTime(notBefore)}" NotOnOrAfter="${samlTime(notOnOrAfter)}">` +
    `<${el('AudienceRestriction')}><${el('Audience')}>${x(input.audience)}</${el('Audience')}></${el('AudienceRestriction')}></${el('Conditions')}>` +
    `<${el('AttributeStatement')}>${shape.attributes(el)}</${el('AttributeStatement')}>` +
    `<${el('AuthnStatement')} AuthnInstant="${samlTime(now)}" SessionIndex="${assertionId}">` +
    `<${el('AuthnContext')}><${el('AuthnContextClassRef')}>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</${el('AuthnContextClassRef')}></${el('AuthnContext')}>` +
    `</${el('AuthnStatement')}></${el('Assertion')}>`;

  let xml =
    `<${p('Response')} xmlns:${shape.protocolPrefix}="${NS.samlp}" ID="${responseId}" Version="2.0" IssueInstant="${samlTime(now)}" ` +
    `Destination="${x(o.destination ?? input.acsUrl)}"${inResponseTo}>` +
    `<${el('Issuer')} ${xmlnsA}>${x(issuer)}</${el('Issuer')}>` +
    `<${p('Status')}><${p('StatusCode')} Value="urn:oasis:names:tc:SAML:2.0:status:Success" /></${p('Status')}>` +
    `${assertion}</${p('Response')}>`;

  // Assertion first: in 'both' mode the Response signature must cover the signed assertion.
  const signing = o.signing ?? shape.signing;
  const inclusivePrefixes = shape.inclusivePrefixes;
  if (signing !== 'response')
    xml = signEnveloped(xml, {
      ...shape.key,
      element: "/*/*[local-name(.)='Assertion']",
      ...(inclusivePrefixes ? { inclusivePrefixes } : {}),
    });
  if (signing !== 'assertion')
    xml = signEnveloped(xml, { ...shape.key, element: '/*', ...(inclusivePrefixes ? { inclusivePrefixes } : {}) });

  return {
    samlResponse: Buffer.from(xml, 'utf8').toString('base64'),
    ...(input.relayState !== undefined ? { relayState: input.relayState } : {}),
    xml,
  };
}
