import type { Model, ProjectionType, Types } from 'mongoose';

/**
 * Documents by the values of one unique, indexed field (`_id`, `email`, ...): one indexed
 * look-up per distinct value, a few at a time, and the first match of each. Not `{ field: { $in: [...] } }`: FerretDB v1
 * pushes only plain equality down to PostgreSQL, so an `$in` reads the whole collection (see
 * ARCHITECTURE.md, "Data tier"). On MongoDB a page's worth of parallel look-ups by an indexed
 * field costs about what one `$in` does. For short lists; an empty one asks nothing.
 */
const AT_ONCE = 16;

export async function findEach<T>(
  // Typed by its lean documents (what is returned): a Buffer field is a Binary there.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  model: Model<any, object, object, object, any, any, T>,
  field: string,
  values: readonly unknown[],
  opts: { projection?: ProjectionType<T>; where?: Record<string, unknown> } = {},
): Promise<Array<T & { _id: Types.ObjectId }>> {
  type Found = T & { _id: Types.ObjectId };
  const distinct = [...new Map(values.map((v) => [String(v), v])).values()];
  const found: Found[] = [];
  for (let i = 0; i < distinct.length; i += AT_ONCE) {
    const batch = distinct.slice(i, i + AT_ONCE).map((v) => model.findOne({ ...opts.where, [field]: v }, opts.projection).lean<Found>());
    for (const doc of await Promise.all(batch)) if (doc) found.push(doc);
  }
  return found;
}
