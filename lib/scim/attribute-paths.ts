/**
 * Resolves attribute paths against a resource type's schemas, and reads values from a stored
 * resource. Stored resources use the SCIM JSON shape with canonical attribute names: core
 * attributes at the top, extension attributes under their schema URN.
 */
import type { ScimError } from './errors';
import type { AttrPath } from './filter';
import { find, topLevel, type AttributeDef, type ResourceType } from './schema';

export type Doc = Record<string, unknown>;

/** A resolved path: where the attribute lives and its definition (and the sub-attribute's). */
export interface Resolved {
  /** Key of the containing object: undefined for core attributes, the URN for extensions. */
  container?: string;
  def: AttributeDef;
  sub?: AttributeDef;
}

export type Resolver = (path: AttrPath) => Resolved;

const show = (p: AttrPath) => `${p.uri ? `${p.uri}:` : ''}${p.attr}${p.sub ? `.${p.sub}` : ''}`;

export function resourceResolver(type: ResourceType, fail: (msg: string) => ScimError): Resolver {
  return (path) => {
    const top = topLevel(type, path.uri, path.attr);
    if (!top) throw fail(`"${show(path)}" is not an attribute of ${type.name}${path.uri ? '' : ` (known: see /Schemas)`}`);
    const container = top.schema === type.schema ? undefined : top.schema;
    if (!path.sub) return { container, def: top.def };
    const sub = find(top.def.subAttributes, path.sub);
    if (!sub) throw fail(`"${show(path)}": ${top.def.name} has no sub-attribute "${path.sub}"`);
    return { container, def: top.def, sub };
  };
}

/** Inside `emails[...]`, names refer to the sub-attributes of one element. */
export function elementResolver(parent: AttributeDef, fail: (msg: string) => ScimError): Resolver {
  return (path) => {
    const def = path.uri || path.sub ? undefined : find(parent.subAttributes, path.attr);
    if (!def) throw fail(`"${show(path)}" is not a sub-attribute of ${parent.name}`);
    return { def };
  };
}

export function readAttribute(doc: Doc, r: Resolved): unknown {
  const holder = r.container ? (doc[r.container] as Doc | undefined) : doc;
  return holder?.[r.def.name];
}

/** Every primitive value a path denotes (multi-valued attributes flattened). */
export function valuesAt(doc: Doc, r: Resolved): unknown[] {
  const raw = readAttribute(doc, r);
  const items = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  return items.flatMap((item) => {
    if (item && typeof item === 'object') {
      const v = (item as Doc)[r.sub?.name ?? 'value'];
      return v === undefined || v === null ? [] : [v];
    }
    return r.sub ? [] : [item];
  });
}
