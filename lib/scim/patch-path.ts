/**
 * PATCH paths (RFC 7644 §3.5.2): `active`, `name.givenName`, `emails[type eq "work"].value`,
 * `members[value eq "…"]`, `urn:…:enterprise:2.0:User:manager`. Anything else is refused with
 * 400 invalidPath before the resource is touched.
 */
import { elementResolver, resourceResolver, type Resolved } from './attribute-paths';
import { invalidPath } from './errors';
import { parseAttrPath, parseFilterTokens, tokenize, type Filter } from './filter';
import { checkFilter } from './match';
import { find, type AttributeDef, type ResourceType } from './schema';

export interface PatchTarget extends Resolved {
  /** `attr[filter]`: which elements of a multi-valued attribute. */
  filter?: Filter;
  /** `attr[filter].sub`: which sub-attribute of those elements. */
  elementSub?: AttributeDef;
}

export function parsePatchPath(type: ResourceType, source: string): PatchTarget {
  if (typeof source !== 'string' || !source.trim()) throw invalidPath('the path is empty');
  if (source.length > 1000) throw invalidPath('the path is longer than 1000 characters');
  const tokens = tokenize(source, invalidPath);
  const head = tokens[0];
  if (head?.kind !== 'word') throw invalidPath(`"${source}" does not start with an attribute name`);
  const resolved = resourceResolver(type, invalidPath)(parseAttrPath(head.text, head.at, invalidPath));
  if (tokens.length === 1) return resolved;

  if (tokens[1].kind !== '[' || resolved.sub)
    throw invalidPath(`unexpected "${tokens[1].text}" at position ${tokens[1].at + 1} of "${source}"`);
  if (resolved.def.type !== 'complex' || !resolved.def.multiValued)
    throw invalidPath(`"${resolved.def.name}" is not multi-valued: it cannot be filtered with [...]`);
  const close = tokens.findIndex((t) => t.kind === ']');
  if (close < 0) throw invalidPath(`"${source}" has no closing "]"`);
  let filter: Filter;
  try {
    filter = parseFilterTokens(tokens.slice(2, close), source);
  } catch (err) {
    throw invalidPath(`the filter in "${source}" is malformed: ${(err as Error).message}`);
  }
  checkFilter(filter, elementResolver(resolved.def, invalidPath), invalidPath);

  const rest = tokens.slice(close + 1);
  if (rest.length === 0) return { ...resolved, filter };
  const subName =
    rest[0].kind === 'word' && rest.length === 1 && /^\.[A-Za-z$][\w$-]*$/.test(rest[0].text) ? rest[0].text.slice(1) : undefined;
  const elementSub = subName ? find(resolved.def.subAttributes, subName) : undefined;
  if (!elementSub) throw invalidPath(`unexpected "${rest.map((t) => t.text).join(' ')}" after "]" in "${source}"`);
  return { ...resolved, filter, elementSub };
}
