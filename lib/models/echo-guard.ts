import mongoose, { type Schema } from 'mongoose';

/**
 * Defence in depth against crossed database replies: a document returned for a look-up must
 * match the equality conditions it was looked up by.
 *
 * Why: an unacknowledged write (`w: 0`) on a pooled connection to FerretDB v1 gets a reply the
 * driver never reads, so every later command on that connection is answered with the previous
 * command's reply — `findById(B)` then returns A's document. We send no `w: 0` writes (a test
 * watches every command), but a wrong document must never become a signed-in user, a staff
 * token or a claim, whatever the cause. The check is a few comparisons per returned document.
 */
export class CrossedReplyError extends Error {
  constructor(collection: string, field: string, expected: unknown, received: unknown) {
    super(`database reply does not match the query on ${collection}: ${field} expected ${String(expected)}, received ${String(received)}`);
    this.name = 'CrossedReplyError';
  }
}

type Doc = Record<string, unknown>;

const isOperatorObject = (v: unknown): v is Doc =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof Date) &&
  !(v instanceof RegExp) &&
  !isIdLike(v) &&
  Object.keys(v).some((k) => k.startsWith('$'));

const isIdLike = (v: unknown) => typeof v === 'object' && v !== null && (v as { _bsontype?: string })._bsontype === 'ObjectId';

const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : String(a) === String(b));

/** The scalar a condition requires, or undefined when the condition is not a plain equality. */
function requiredValue(condition: unknown): unknown {
  if (condition === null || condition === undefined || condition instanceof RegExp) return undefined;
  if (isOperatorObject(condition))
    return Object.keys(condition).length === 1 && '$eq' in condition ? requiredValue(condition.$eq) : undefined;
  if (typeof condition === 'object' && !(condition instanceof Date) && !isIdLike(condition)) return undefined;
  return condition;
}

export function checkReply(collection: string, filter: Doc, doc: Doc | null | undefined, changed: Set<string> = new Set()): void {
  if (!doc) return;
  for (const [field, condition] of Object.entries(filter)) {
    if (field.startsWith('$') || field.includes('.') || changed.has(field)) continue;
    const expected = requiredValue(condition);
    if (expected === undefined) continue;
    const actual = doc[field];
    // A projection may leave the field out; an array field matches when it contains the value.
    if (actual === undefined) continue;
    const ok = Array.isArray(actual) ? actual.some((v) => same(v, expected)) : same(actual, expected);
    if (!ok) throw new CrossedReplyError(collection, field, expected, actual);
  }
}

/** Top-level fields an update may have changed: a returned new document need not match on them. */
function changedFields(update: unknown): Set<string> {
  const fields = new Set<string>();
  for (const [key, value] of Object.entries((update ?? {}) as Doc)) {
    if (!key.startsWith('$')) fields.add(key);
    else if (value && typeof value === 'object') for (const path of Object.keys(value)) fields.add(path.split('.')[0]);
  }
  return fields;
}

function echoGuard(schema: Schema): void {
  const one = function (this: mongoose.Query<unknown, unknown>, res: unknown) {
    // With `includeResultMetadata` the document is the reply's `value`.
    const doc =
      res && typeof res === 'object' && 'lastErrorObject' in res ? (res as unknown as { value: Doc | null }).value : (res as Doc | null);
    checkReply(this.model.collection.collectionName, this.getFilter(), doc, changedFields(this.getUpdate()));
  };
  for (const op of ['findOne', 'findOneAndUpdate', 'findOneAndReplace', 'findOneAndDelete'] as const) schema.post(op, one);
  schema.post('find', function (this: mongoose.Query<unknown, unknown>, res: unknown) {
    for (const doc of res as Doc[]) checkReply(this.model.collection.collectionName, this.getFilter(), doc);
  });
}

// Global plugins apply to schemas compiled after this, so every model file imports this first.
mongoose.plugin(echoGuard);
