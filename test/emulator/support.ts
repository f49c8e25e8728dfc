/** Small helpers for the emulator tests: reading forms out of HTML pages and reading XML. */
import { DOMParser, type Element } from '@xmldom/xmldom';
import { SAML, type SamlConfig } from '@node-saml/node-saml';
import type { EmulatedTenant } from '../../emulator';

/** Real Microsoft samples, beside the project (see its README). */
export { ENTRA_FIXTURES as FIXTURES } from '../support/entra-fixtures';

export const SP_ENTITY_ID = 'https://entrada.test/saml/metadata';
export const ACS_URL = 'https://entrada.test/saml/acs';

const decode = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" })[e]!);

/** The action and input/button values of the form with this id (only what our pages use). */
export function readForm(html: string, formId: string): { action: string; fields: Record<string, string>; buttons: string[] } {
  const form = new RegExp(`<form id="${formId}"[^>]*action="([^"]*)"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  if (!form) throw new Error(`form #${formId} not found in page:\n${html.slice(0, 2000)}`);
  const fields: Record<string, string> = {};
  for (const m of form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]!] = decode(m[2]!);
  const buttons = [...form[2]!.matchAll(/<button [^>]*value="([^"]*)"/g)].map((m) => decode(m[1]!));
  return { action: decode(form[1]!), fields, buttons };
}

export async function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
}

export function parseXml(xml: string) {
  return new DOMParser().parseFromString(xml, 'text/xml');
}

export function elements(root: Element | ReturnType<typeof parseXml>, localName: string): Element[] {
  return Array.from(root.getElementsByTagNameNS('*', localName));
}

/** Local names of an element's children, e.g. ['Issuer', 'Signature', 'Subject', ...]. */
export function childNames(el: Element): string[] {
  const names: string[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) names.push((n as Element).localName!);
  return names;
}

/** A node-saml SP configured for the tenant, as Entrada's web app would configure passport-saml. */
export function spFor(tenant: EmulatedTenant, overrides: Partial<SamlConfig> = {}): SAML {
  return new SAML({
    entryPoint: tenant.ssoUrl(),
    issuer: SP_ENTITY_ID,
    audience: SP_ENTITY_ID,
    callbackUrl: ACS_URL,
    idpIssuer: tenant.issuer,
    idpCert: tenant.signingCertificates().map((c) => c.certPem),
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    ...overrides,
  });
}
