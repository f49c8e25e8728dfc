/**
 * SCIM filters (RFC 7644 §3.4.2.2): `userName eq "alice@contoso.com"`, `emails[type eq "work"]`,
 * `not (active eq false) and title pr`... Parsed in full so that anything malformed is refused
 * with the position of the problem (400 invalidFilter) before anything is read or written.
 * Operators and attribute names are case-insensitive; precedence is not > and > or.
 */
import { invalidFilter, ScimError } from './errors';

export const COMPARE_OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];
export type Literal = string | number | boolean | null;

/** `[urn:...:]attr[.sub]`; `uri` is set only when the path named its schema. */
export interface AttrPath {
  uri?: string;
  attr: string;
  sub?: string;
}

export type Filter =
  | { op: 'and' | 'or'; left: Filter; right: Filter }
  | { op: 'not'; filter: Filter }
  | { op: 'pr'; path: AttrPath }
  | { op: CompareOp; path: AttrPath; value: Literal }
  | { op: 'valuePath'; path: AttrPath; filter: Filter };

type Token = { kind: '(' | ')' | '[' | ']' | 'word' | 'string' | 'number'; text: string; value?: Literal; at: number };

const WORD = /[A-Za-z0-9_$:.-]/;
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$|^\$ref$/;

export function tokenize(input: string, fail: (msg: string) => ScimError = invalidFilter): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\t') i++;
    else if ('()[]'.includes(c)) tokens.push({ kind: c as Token['kind'], text: c, at: i++ });
    else if (c === '"') {
      let j = i + 1;
      while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1;
      if (j >= input.length) throw fail(`unterminated string starting at position ${i + 1}`);
      const text = input.slice(i, j + 1);
      let value: string;
      try {
        value = JSON.parse(text) as string;
      } catch {
        throw fail(`invalid string ${text} at position ${i + 1}`);
      }
      tokens.push({ kind: 'string', text, value, at: i });
      i = j + 1;
    } else if (WORD.test(c)) {
      let j = i;
      while (j < input.length && WORD.test(input[j])) j++;
      const text = input.slice(i, j);
      const isNumber = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text);
      tokens.push(isNumber ? { kind: 'number', text, value: Number(text), at: i } : { kind: 'word', text, at: i });
      i = j;
    } else throw fail(`unexpected "${c}" at position ${i + 1}`);
  }
  return tokens;
}

/** `urn:…:User:name.givenName` → { uri, attr: 'name', sub: 'givenName' }. */
export function parseAttrPath(text: string, at: number, fail: (msg: string) => ScimError = invalidFilter): AttrPath {
  let uri: string | undefined;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const colon = text.lastIndexOf(':');
    uri = text.slice(0, colon);
    rest = text.slice(colon + 1);
  }
  const parts = rest.split('.');
  if (parts.length > 2 || !parts.every((p) => NAME.test(p))) throw fail(`"${text}" at position ${at + 1} is not an attribute path`);
  return { ...(uri ? { uri } : {}), attr: parts[0], ...(parts[1] ? { sub: parts[1] } : {}) };
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parseAll(): Filter {
    if (this.tokens.length === 0) throw invalidFilter('the filter is empty');
    const filter = this.or();
    const extra = this.peek();
    if (extra) throw invalidFilter(`unexpected "${extra.text}" at position ${extra.at + 1}`);
    return filter;
  }

  private peek = (): Token | undefined => this.tokens[this.pos];
  private keyword = (word: string) => this.peek()?.kind === 'word' && this.peek()!.text.toLowerCase() === word;
  private where = () => (this.peek() ? `at position ${this.peek()!.at + 1}` : `at the end of "${this.source}"`);

  private expect(kind: Token['kind']): Token {
    const t = this.peek();
    if (t?.kind !== kind) throw invalidFilter(`expected "${kind}" ${this.where()}`);
    this.pos++;
    return t;
  }

  or(): Filter {
    let left = this.and();
    while (this.keyword('or')) {
      this.pos++;
      left = { op: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Filter {
    let left = this.unary();
    while (this.keyword('and')) {
      this.pos++;
      left = { op: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Filter {
    if (this.keyword('not')) {
      this.pos++;
      this.expect('(');
      const filter = this.or();
      this.expect(')');
      return { op: 'not', filter };
    }
    if (this.peek()?.kind === '(') {
      this.pos++;
      const filter = this.or();
      this.expect(')');
      return filter;
    }
    return this.attrExp();
  }

  private attrExp(): Filter {
    const t = this.peek();
    if (t?.kind !== 'word') throw invalidFilter(`expected an attribute name ${this.where()}`);
    this.pos++;
    const path = parseAttrPath(t.text, t.at);
    if (this.peek()?.kind === '[') {
      this.pos++;
      const filter = this.or();
      this.expect(']');
      return { op: 'valuePath', path, filter };
    }
    const opToken = this.peek();
    const op = opToken?.kind === 'word' ? opToken.text.toLowerCase() : '';
    if (op === 'pr') {
      this.pos++;
      return { op: 'pr', path };
    }
    if (!(COMPARE_OPS as readonly string[]).includes(op))
      throw invalidFilter(`expected an operator (${COMPARE_OPS.join(', ')}, pr) after "${t.text}" ${this.where()}`);
    this.pos++;
    return { op: op as CompareOp, path, value: this.literal() };
  }

  private literal(): Literal {
    const t = this.peek();
    if (!t) throw invalidFilter(`expected a value ${this.where()}`);
    this.pos++;
    if (t.kind === 'string' || t.kind === 'number') return t.value!;
    const word = t.text.toLowerCase();
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'null') return null;
    throw invalidFilter(`expected a value (a "quoted string", a number, true, false or null) at position ${t.at + 1}, got ${t.text}`);
  }
}

export function parseFilter(source: string): Filter {
  if (source.length > 2000) throw invalidFilter('the filter is longer than 2000 characters');
  return new Parser(tokenize(source), source).parseAll();
}

/** For the PATCH path parser: the filter inside `attr[...]`, from its tokens. */
export function parseFilterTokens(tokens: Token[], source: string): Filter {
  return new Parser(tokens, source).parseAll();
}
