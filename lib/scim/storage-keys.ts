/**
 * SCIM keys that a document database refuses: the extension URN contains dots ("2.0") and
 * `$ref` starts with a dollar sign. Stored resources escape both, reversibly; nothing outside
 * the record modules sees the escaped form.
 */
type Doc = Record<string, unknown>;

const escapeKey = (k: string) => k.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/^\$/, '%24');
const unescapeKey = (k: string) => k.replace(/^%24/, '$').replace(/%2E/g, '.').replace(/%25/g, '%');

function mapKeys(value: unknown, f: (k: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapKeys(v, f));
  if (value && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value as Doc).map(([k, v]) => [f(k), mapKeys(v, f)]));
  return value;
}

export const toStored = (resource: Doc) => mapKeys(resource, escapeKey) as Doc;
export const fromStored = (stored: unknown) => mapKeys(stored ?? {}, unescapeKey) as Doc;
