/**
 * PATCH (RFC 7644 §3.5.2) in the dialect Entra sends: `op` in any case, `active` as "False",
 * `emails[type eq "work"].value` creating the work address when there is none, `members`
 * added and removed by value lists, and add/replace without a path carrying an object of
 * paths. Operations apply to a copy, all or nothing: a refused operation changes nothing.
 */
import { elementResolver, resourceResolver, type Doc, type Resolved } from './attribute-paths';
import { invalidPath, invalidSyntax, invalidValue, mutability, noTarget } from './errors';
import { parseAttrPath, type Filter } from './filter';
import { matches } from './match';
import { parsePatchPath, type PatchTarget } from './patch-path';
import type { AttributeDef, ResourceType } from './schema';
import { canonicalValue, tidy } from './values';

export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const MAX_OPERATIONS = 1000;

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

export function parsePatchRequest(body: unknown): PatchOperation[] {
  const b = body as { schemas?: unknown; Operations?: unknown; operations?: unknown } | null;
  if (!b || typeof b !== 'object') throw invalidSyntax('the body must be a PatchOp JSON object');
  if (
    b.schemas !== undefined &&
    !(Array.isArray(b.schemas) && b.schemas.some((s) => String(s).toLowerCase() === PATCH_SCHEMA.toLowerCase()))
  ) {
    throw invalidSyntax(`"schemas" must be ["${PATCH_SCHEMA}"]`);
  }
  const ops = b.Operations ?? b.operations;
  if (!Array.isArray(ops) || ops.length === 0) throw invalidSyntax('"Operations" must be a non-empty list');
  if (ops.length > MAX_OPERATIONS) throw invalidSyntax(`at most ${MAX_OPERATIONS} operations per request`);
  return ops.map((o: Doc, i) => {
    const op = typeof o?.op === 'string' ? o.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw invalidSyntax(`Operations[${i}].op must be add, replace or remove, got ${JSON.stringify(o?.op)}`);
    if (o.path !== undefined && typeof o.path !== 'string') throw invalidPath(`Operations[${i}].path must be a string`);
    return { op, ...(o.path !== undefined ? { path: o.path } : {}), ...('value' in o ? { value: o.value } : {}) };
  });
}

export function applyPatch(type: ResourceType, resource: Doc, ops: PatchOperation[]): Doc {
  const doc = structuredClone(resource);
  ops.forEach((op, i) => applyOne(type, doc, op, `Operations[${i}]`));
  return requireAttributes(type, tidy(doc));
}

/** What every stored resource must have (also after a PATCH removed something). */
export function requireAttributes(type: ResourceType, doc: Doc): Doc {
  const required = type.name === 'User' ? 'userName' : 'displayName';
  if (typeof doc[required] !== 'string' || !(doc[required] as string).trim()) throw invalidValue(`"${required}" is required`);
  return doc;
}

function applyOne(type: ResourceType, doc: Doc, op: PatchOperation, where: string): void {
  if (op.path === undefined || op.path === '') {
    if (op.op === 'remove') throw noTarget(`${where}: remove needs a path`);
    if (!op.value || typeof op.value !== 'object' || Array.isArray(op.value))
      throw invalidValue(`${where}: without a path, the value must be an object of attributes`);
    for (const [key, value] of Object.entries(op.value as Doc)) {
      const ext = type.extensions.find((e) => e.toLowerCase() === key.toLowerCase());
      if (ext && value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value as Doc)) applyOne(type, doc, { op: op.op, path: `${ext}:${k}`, value: v }, where);
      } else applyOne(type, doc, { op: op.op, path: key, value }, where);
    }
    return;
  }
  const target = parsePatchPath(type, op.path);
  const def = target.sub ?? target.def;
  if (def.mutability === 'readOnly') throw mutability(`${where}: "${op.path}" is read-only`);
  if (target.filter) return applyFiltered(doc, target, op, where);
  if (op.op === 'remove') return remove(doc, target, op.value, where);
  setAttribute(doc, target, op.op, canonicalValue(def, op.value, `${where} ${op.path}`));
}

/** Sets (or with `undefined`, clears) one resolved attribute. `add` appends to multi-valued attributes and merges complex ones. */
export function setAttribute(doc: Doc, r: Resolved, op: 'add' | 'replace', value: unknown): void {
  const holder = container(doc, r);
  if (r.sub) {
    const parent = (holder[r.def.name] as Doc | undefined) ?? {};
    if (value === undefined) delete parent[r.sub.name];
    else parent[r.sub.name] = value;
    holder[r.def.name] = parent;
    return;
  }
  if (value === undefined) return void (op === 'replace' && delete holder[r.def.name]);
  const current = holder[r.def.name];
  if (r.def.multiValued && op === 'add' && Array.isArray(current)) {
    const key = (v: unknown) => JSON.stringify(v);
    const seen = new Set(current.map(key));
    holder[r.def.name] = [...current, ...(value as unknown[]).filter((v) => !seen.has(key(v)) && seen.add(key(v)))];
  } else if (!r.def.multiValued && r.def.type === 'complex' && current && typeof current === 'object') {
    holder[r.def.name] = { ...(current as Doc), ...(value as Doc) };
  } else holder[r.def.name] = value;
}

function container(doc: Doc, r: Resolved): Doc {
  if (!r.container) return doc;
  doc[r.container] ??= {};
  return doc[r.container] as Doc;
}

/** `members` with a value list removes those members (Entra); without one, the whole attribute goes. */
function remove(doc: Doc, r: Resolved, value: unknown, where: string): void {
  const holder = container(doc, r);
  if (r.sub) return void delete ((holder[r.def.name] ?? {}) as Doc)[r.sub.name];
  if (r.def.multiValued && value !== undefined && value !== null) {
    const gone = (canonicalValue(r.def, value, `${where} value`) as Doc[] | undefined) ?? [];
    const ids = new Set(gone.map((g) => g.value));
    holder[r.def.name] = ((holder[r.def.name] as Doc[] | undefined) ?? []).filter((e) => !ids.has(e.value));
    return;
  }
  delete holder[r.def.name];
}

function applyFiltered(doc: Doc, t: PatchTarget, op: PatchOperation, where: string): void {
  const holder = container(doc, t);
  const elements = ((holder[t.def.name] as Doc[] | undefined) ?? []).map((e) => ({ ...e }));
  const inner = elementResolver(t.def, invalidPath);
  const hit = (e: Doc) => matches(t.filter!, e, inner, invalidPath);
  if (op.op === 'remove') {
    // Removing what is not there is a no-op: a replayed removal succeeds again.
    const kept = t.elementSub ? elements.map((e) => (hit(e) ? withoutKey(e, t.elementSub!.name) : e)) : elements.filter((e) => !hit(e));
    holder[t.def.name] = withValues(t.def, kept);
    return;
  }
  const matched = elements.filter(hit);
  if (t.elementSub) {
    const value = canonicalValue(t.elementSub, op.value, `${where} ${op.path}`);
    if (matched.length === 0) {
      const seed = equalityTerms(t.filter!, t.def);
      if (!seed) throw noTarget(`${where}: nothing matches "${op.path}" and its filter does not say what to create`);
      elements.push({ ...seed, [t.elementSub.name]: value });
    } else for (const e of matched) e[t.elementSub.name] = value;
  } else {
    const value = canonicalValue({ ...t.def, multiValued: false }, op.value, `${where} ${op.path}`) as Doc | undefined;
    if (matched.length === 0) throw noTarget(`${where}: nothing matches "${op.path}"`);
    for (const e of matched) Object.assign(e, value);
  }
  holder[t.def.name] = withValues(t.def, elements);
}

/** An email or phone number without its `value` is nothing: such elements are dropped. */
const withValues = (def: AttributeDef, elements: Doc[]) =>
  def.subAttributes?.some((s) => s.name === 'value') ? elements.filter((e) => e.value !== undefined) : elements;

const withoutKey = (e: Doc, key: string) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== key));

/** `type eq "work"` (or an `and` of equalities): the element to create when none matches. */
function equalityTerms(filter: Filter, def: AttributeDef): Doc | undefined {
  if (filter.op === 'and') {
    const [l, r] = [equalityTerms(filter.left, def), equalityTerms(filter.right, def)];
    return l && r ? { ...l, ...r } : undefined;
  }
  if (filter.op !== 'eq' || filter.path.sub || filter.path.uri) return undefined;
  const sub = def.subAttributes?.find((s) => s.name.toLowerCase() === filter.path.attr.toLowerCase());
  return sub ? { [sub.name]: filter.value } : undefined;
}

/** Top-level body keys of POST/PUT, shared with `resourceFromBody`. */
export const resolveBodyKey = (type: ResourceType, key: string) =>
  resourceResolver(type, invalidSyntax)(parseAttrPath(key, 0, invalidSyntax));
