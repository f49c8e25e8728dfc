/**
 * Input rules for onboarding, pure so that the web tier (form/API validation) and the
 * workflow (update validators) refuse the same things with the same words. Each check
 * returns an error message, or undefined when the value is acceptable.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Entra's multi-tenant aliases and the consumer (personal Microsoft account) tenant. */
const NOT_AN_ORGANISATION: Record<string, string> = {
  common: '"common" is a sign-in alias, not a tenant',
  organizations: '"organizations" is a sign-in alias, not a tenant',
  consumers: '"consumers" is the personal Microsoft account alias, not an organisation',
  '9188040d-6c67-4c5b-b112-36a304b66dad': 'this is the consumer (personal Microsoft account) tenant, not an organisation',
  '00000000-0000-0000-0000-000000000000': 'the nil GUID is not a tenant',
};

export function tenantIdProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return 'Entra tenant ID is required';
  const id = value.trim().toLowerCase();
  if (NOT_AN_ORGANISATION[id]) return `Entra tenant ID "${value}" refused: ${NOT_AN_ORGANISATION[id]}`;
  if (!GUID.test(id)) return `Entra tenant ID must be a GUID such as 6e89e984-81f7-4e1d-b40b-d638ccf7c2b0, got "${value}"`;
  return undefined;
}

export function orgNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return 'Organisation name is required';
  if (value.trim().length > 200) return 'Organisation name must be at most 200 characters';
  if (/[\u0000-\u001f<>]/.test(value)) return 'Organisation name must not contain control characters or < >';
  return undefined;
}

// Deliberately simple: one @, no spaces, a dotted domain. The SMTP server is the real test.
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+$/;
export function emailProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !EMAIL.test(value.trim()) || value.length > 254) return `"${String(value)}" is not an email address`;
  return hostnameProblem(value.trim().split('@')[1]);
}

/** Consumer mailbox providers: nobody's organisation owns these, so no tenant may claim them. */
export const PUBLIC_MAIL_DOMAINS: readonly string[] = [
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'hotmail.co.uk', 'live.com', 'msn.com',
  'yahoo.com', 'yahoo.co.uk', 'ymail.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me',
  'protonmail.com', 'pm.me', 'gmx.com', 'gmx.net', 'gmx.de', 'web.de', 'mail.com', 'yandex.com', 'yandex.ru',
  'mail.ru', 'zoho.com', 'fastmail.com', 'tutanota.com', 'qq.com', '163.com', 'onmicrosoft.com',
];

export const normalizeDomain = (value: string) => value.trim().toLowerCase().replace(/\.$/, '');

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
function hostnameProblem(domain: string): string | undefined {
  const labels = domain.split('.');
  if (domain.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)) || !/^(xn--[a-z0-9-]+|[a-z]{2,63})$/.test(labels.at(-1)!)) {
    return `"${domain}" is not a valid domain name (use the punycode form for international names)`;
  }
  return undefined;
}

export function domainProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return 'Domain is required';
  const domain = normalizeDomain(value);
  const syntax = hostnameProblem(domain);
  if (syntax) return syntax;
  const publicParent = PUBLIC_MAIL_DOMAINS.find((p) => domain === p || domain.endsWith(`.${p}`));
  if (publicParent === 'onmicrosoft.com' && domain !== publicParent) return undefined; // contoso.onmicrosoft.com belongs to its tenant
  if (publicParent) return `"${domain}" is a public mail domain (${publicParent}); only a domain the organisation owns can be an SSO domain`;
  return undefined;
}

/** Federation metadata larger than this is refused (the real document is ~28 KB). */
export const MAX_METADATA_BYTES = 512 * 1024;

const APP_ID = GUID;
export function appIdProblem(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !APP_ID.test(value.trim().toLowerCase())) return `App ID must be a GUID, got "${String(value)}"`;
  return undefined;
}

export const problems = (checks: Array<string | undefined>) => checks.filter((p): p is string => Boolean(p));
