/**
 * GET on a collection: `filter`, `startIndex`, `count` (RFC 7644 §3.4.2). A filter is parsed
 * and checked in full (400 invalidFilter), then answered from a unique key: Entra filters on
 * userName or externalId (displayName for groups) with eq, which is what Entrada supports,
 * also inside an `and`. Without a filter the collection is paged.
 */
import { resourceResolver, type Doc } from './attribute-paths';
import { invalidFilter, invalidValue } from './errors';
import { parseFilter, type Filter } from './filter';
import { checkFilter, matches } from './match';
import type { ResourceType } from './schema';

export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const MAX_RESULTS = 200;

export interface Page {
  startIndex: number;
  count: number;
}

export function pageOf(query: { startIndex?: unknown; count?: unknown }): Page {
  const int = (v: unknown, fallback: number, name: string) => {
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n)) throw invalidValue(`${name} must be an integer, got ${JSON.stringify(v)}`);
    return n;
  };
  return {
    startIndex: Math.max(1, int(query.startIndex, 1, 'startIndex')),
    count: Math.min(MAX_RESULTS, Math.max(0, int(query.count, 100, 'count'))),
  };
}

/** The equality a filter's answer can be looked up by: attribute (lower-case) and value. */
export interface KeyLookup {
  attr: string;
  value: string;
}

export function parseCollectionFilter(type: ResourceType, source: string, keyAttributes: string[]): { filter: Filter; lookup: KeyLookup } {
  const filter = parseFilter(source);
  checkFilter(filter, resourceResolver(type, invalidFilter), invalidFilter);
  const lookup = keyOf(filter, type, keyAttributes);
  if (!lookup)
    throw invalidFilter(
      `Entrada answers filters with "eq" on ${keyAttributes.join(', ')} (optionally combined with "and"); got "${source}"`,
    );
  return { filter, lookup };
}

function keyOf(f: Filter, type: ResourceType, keys: string[]): KeyLookup | undefined {
  if (f.op === 'and') return keyOf(f.left, type, keys) ?? keyOf(f.right, type, keys);
  if (f.op !== 'eq' || f.path.sub || typeof f.value !== 'string') return undefined;
  if (f.path.uri && f.path.uri.toLowerCase() !== type.schema.toLowerCase()) return undefined;
  const attr = f.path.attr.toLowerCase();
  return keys.map((k) => k.toLowerCase()).includes(attr) ? { attr, value: f.value } : undefined;
}

export function filterMatches(type: ResourceType, filter: Filter, representation: Doc): boolean {
  return matches(filter, representation, resourceResolver(type, invalidFilter), invalidFilter);
}

export function listResponse(resources: Doc[], total: number, startIndex: number) {
  return { schemas: [LIST_SCHEMA], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
}
