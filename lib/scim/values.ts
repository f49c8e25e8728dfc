/**
 * Incoming values made canonical against their attribute definition, or refused (400
 * invalidValue). Entra's dialect is accepted: booleans as the strings "True"/"False" in any
 * case, a single object where an array is expected, the manager as a bare id string.
 * `undefined` means "unassigned" (RFC 7643 §2.5: null and [] clear an attribute).
 */
import { invalidSyntax, invalidValue } from './errors';
import { ENTERPRISE_SCHEMA, find, type AttributeDef } from './schema';

const MAX_STRING = 2048;
const MAX_VALUES = 100_000;
type Doc = Record<string, unknown>;

export function canonicalValue(def: AttributeDef, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued) {
    const items = Array.isArray(value) ? value : [value];
    if (items.length > MAX_VALUES) throw invalidValue(`${where}: at most ${MAX_VALUES} values`);
    const out = items.map((v, i) => canonicalSingle(def, v, `${where}[${i}]`)).filter((v) => v !== undefined);
    return out.length ? out : undefined;
  }
  if (Array.isArray(value)) {
    // Entra sends some single values as a one-element list of { value }.
    if (value.length === 1) return canonicalValue(def, def.type === 'complex' ? value[0] : unwrap(value[0]), where);
    throw invalidValue(`${where}: expected one value, got a list`);
  }
  return canonicalSingle(def, value, where);
}

const unwrap = (v: unknown) => (v && typeof v === 'object' && 'value' in (v as Doc) ? (v as Doc).value : v);

function canonicalSingle(def: AttributeDef, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (def.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
      throw invalidValue(`${where}: expected true or false, got ${JSON.stringify(value)}`);
    case 'integer':
      if (Number.isInteger(value)) return value;
      throw invalidValue(`${where}: expected an integer, got ${JSON.stringify(value)}`);
    case 'complex':
      return canonicalComplex(def, value, where);
    default: {
      if (typeof value === 'number') value = String(value);
      if (typeof value !== 'string') throw invalidValue(`${where}: expected a string, got ${JSON.stringify(value)}`);
      if (value.length > MAX_STRING) throw invalidValue(`${where}: longer than ${MAX_STRING} characters`);
      return value === '' ? undefined : value;
    }
  }
}

function canonicalComplex(def: AttributeDef, value: unknown, where: string): Doc | undefined {
  // The enterprise manager arrives as a bare id from Entra; so may a member.
  if (typeof value === 'string' && find(def.subAttributes, 'value')) value = { value };
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw invalidValue(`${where}: expected an object, got ${JSON.stringify(value)}`);
  const out: Doc = {};
  for (const [key, v] of Object.entries(value as Doc)) {
    const sub = find(def.subAttributes, key);
    if (!sub) throw invalidSyntax(`${where}: "${key}" is not a sub-attribute of ${def.name}`);
    if (sub.mutability === 'readOnly') continue;
    const canonical = canonicalSingle(sub, v, `${where}.${sub.name}`);
    if (canonical !== undefined) out[sub.name] = canonical;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Keys of a stored resource in a stable order, empty containers dropped. */
export function tidy(doc: Doc): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(doc)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    if (k === ENTERPRISE_SCHEMA && v && typeof v === 'object' && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}
