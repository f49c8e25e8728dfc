/**
 * SCIM resources in and out: a POST/PUT body made canonical (names as in /Schemas, values
 * coerced, read-only attributes ignored, unknown ones refused), and a stored resource
 * rendered with `schemas`, `id` and `meta` (RFC 7643 §3.1).
 */
import type { Doc } from './attribute-paths';
import { invalidSyntax } from './errors';
import { requireAttributes, resolveBodyKey, setAttribute } from './patch';
import type { ResourceType } from './schema';
import { canonicalValue, tidy } from './values';

const IGNORED = new Set(['schemas', 'meta', 'id']);

export function resourceFromBody(type: ResourceType, body: unknown): Doc {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidSyntax('the body must be a JSON object');
  const b = body as Doc;
  if (
    b.schemas !== undefined &&
    !(Array.isArray(b.schemas) && b.schemas.some((s) => String(s).toLowerCase() === type.schema.toLowerCase()))
  ) {
    throw invalidSyntax(`"schemas" must include "${type.schema}"`);
  }
  const doc: Doc = {};
  for (const [key, value] of Object.entries(b)) {
    if (IGNORED.has(key.toLowerCase())) continue;
    const ext = type.extensions.find((e) => e.toLowerCase() === key.toLowerCase());
    if (ext) {
      if (value === null) continue;
      if (typeof value !== 'object' || Array.isArray(value)) throw invalidSyntax(`"${key}" must be an object`);
      for (const [k, v] of Object.entries(value as Doc)) assign(type, doc, `${ext}:${k}`, v);
    } else assign(type, doc, key, value);
  }
  return requireAttributes(type, tidy(doc));
}

function assign(type: ResourceType, doc: Doc, key: string, value: unknown): void {
  const r = resolveBodyKey(type, key);
  const def = r.sub ?? r.def;
  if (def.mutability === 'readOnly') return;
  setAttribute(doc, r, 'replace', canonicalValue(def, value, key));
}

export interface ResourceMeta {
  id: string;
  created: Date;
  lastModified: Date;
  version: number;
  location: string;
}

export function representation(type: ResourceType, doc: Doc, meta: ResourceMeta): Doc {
  const schemas = [type.schema, ...type.extensions.filter((e) => doc[e] !== undefined)];
  return {
    schemas,
    id: meta.id,
    ...doc,
    meta: {
      resourceType: type.name,
      created: meta.created.toISOString(),
      lastModified: meta.lastModified.toISOString(),
      location: meta.location,
      version: `W/"${meta.version}"`,
    },
  };
}

/** `attributes` / `excludedAttributes` (RFC 7644 §3.9), top-level names only. `id` and `schemas` always stay. */
export function project(doc: Doc, opts: { attributes?: string; excludedAttributes?: string }): Doc {
  const names = (list?: string) =>
    list
      ? list
          .split(',')
          .map((s) => s.trim().toLowerCase().split('.')[0])
          .filter(Boolean)
      : undefined;
  const include = names(opts.attributes);
  const exclude = names(opts.excludedAttributes);
  return Object.fromEntries(
    Object.entries(doc).filter(([k]) => {
      const key = k.toLowerCase();
      if (key === 'id' || key === 'schemas') return true;
      if (include) return include.includes(key) || key === 'meta';
      return !exclude?.includes(key);
    }),
  );
}
