/**
 * Where to land after sign-in (SAML RelayState, `?next=`). Only a same-site relative path is kept:
 * no scheme, no host, no protocol-relative `//` or `/\` (browsers read `\` as `/`), no
 * control characters. Anything else lands on the home page: never an open redirect.
 */
const MAX_LENGTH = 1024;

export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  return value;
}
