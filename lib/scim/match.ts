/**
 * Evaluates a parsed filter against a resource (or, inside `attr[...]`, against one element
 * of a multi-valued attribute). String comparisons honour the attribute's `caseExact`.
 */
import { elementResolver, valuesAt, type Doc, type Resolver } from './attribute-paths';
import type { ScimError } from './errors';
import type { CompareOp, Filter, Literal } from './filter';
import type { AttributeDef } from './schema';

export function matches(filter: Filter, target: Doc, resolve: Resolver, fail: (msg: string) => ScimError): boolean {
  switch (filter.op) {
    case 'and':
      return matches(filter.left, target, resolve, fail) && matches(filter.right, target, resolve, fail);
    case 'or':
      return matches(filter.left, target, resolve, fail) || matches(filter.right, target, resolve, fail);
    case 'not':
      return !matches(filter.filter, target, resolve, fail);
    case 'pr':
      return valuesAt(target, resolve(filter.path)).some((v) => v !== '' && !(Array.isArray(v) && v.length === 0));
    case 'valuePath': {
      const r = resolve(filter.path);
      if (r.def.type !== 'complex' || r.sub) throw fail(`"${r.def.name}[...]" needs a complex attribute`);
      const inner = elementResolver(r.def, fail);
      const raw = r.container ? (target[r.container] as Doc | undefined)?.[r.def.name] : target[r.def.name];
      const elements = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Doc[];
      return elements.some((e) => matches(filter.filter, e, inner, fail));
    }
    default: {
      const r = resolve(filter.path);
      const def = r.sub ?? r.def;
      checkComparable(def, filter.op, filter.value, fail);
      return valuesAt(target, r).some((v) => compare(def, filter.op as CompareOp, v, filter.value));
    }
  }
}

function checkComparable(def: AttributeDef, op: CompareOp, value: Literal, fail: (msg: string) => ScimError): void {
  if (def.type === 'complex') throw fail(`"${def.name}" is complex: compare one of its sub-attributes`);
  if (def.type === 'boolean' && !['eq', 'ne'].includes(op)) throw fail(`"${def.name}" is a boolean: only eq and ne apply`);
  if (def.type === 'boolean' && typeof value !== 'boolean') throw fail(`"${def.name}" is a boolean: compare it with true or false`);
}

const norm = (def: AttributeDef, v: unknown) => (typeof v === 'string' && !def.caseExact ? v.toLowerCase() : v);

function compare(def: AttributeDef, op: CompareOp, actual: unknown, expected: Literal): boolean {
  if (expected === null) return op === 'ne';
  const a = norm(def, actual);
  const e = norm(def, expected);
  switch (op) {
    case 'eq':
      return a === e;
    case 'ne':
      return a !== e;
    case 'co':
      return typeof a === 'string' && typeof e === 'string' && a.includes(e);
    case 'sw':
      return typeof a === 'string' && typeof e === 'string' && a.startsWith(e);
    case 'ew':
      return typeof a === 'string' && typeof e === 'string' && a.endsWith(e);
    default: {
      if (typeof a !== typeof e || typeof a === 'boolean') return false;
      const [x, y] =
        def.type === 'dateTime' ? [Date.parse(String(a)), Date.parse(String(e))] : [a as number | string, e as number | string];
      return op === 'gt' ? x > y : op === 'ge' ? x >= y : op === 'lt' ? x < y : x <= y;
    }
  }
}

/** Resolves every path and checks every comparison of a filter up front, so a bad one fails before any work. */
export function checkFilter(filter: Filter, resolve: Resolver, fail: (msg: string) => ScimError): void {
  switch (filter.op) {
    case 'and':
    case 'or':
      checkFilter(filter.left, resolve, fail);
      checkFilter(filter.right, resolve, fail);
      return;
    case 'not':
      return checkFilter(filter.filter, resolve, fail);
    case 'pr':
      resolve(filter.path);
      return;
    case 'valuePath': {
      const r = resolve(filter.path);
      if (r.def.type !== 'complex' || !r.def.multiValued || r.sub)
        throw fail(`"${r.def.name}[...]" needs a multi-valued complex attribute`);
      return checkFilter(filter.filter, elementResolver(r.def, fail), fail);
    }
    default: {
      const r = resolve(filter.path);
      checkComparable(r.sub ?? r.def, filter.op, filter.value, fail);
    }
  }
}
