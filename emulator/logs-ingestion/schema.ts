import type { Column } from './state';

/**
 * Checks a request body against a stream declaration as the service does before a DCR's
 * transformation: a JSON array of objects, only declared columns, values of the declared type.
 * Returns the first problem (for the 400's message) or undefined.
 */
export function rowProblem(rows: unknown, columns: Column[]): string | undefined {
  if (!Array.isArray(rows)) return 'The request body must be a JSON array of records.';
  const types = new Map(columns.map((c) => [c.name, c.type]));
  for (const [i, row] of rows.entries()) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return `Record ${i} is not a JSON object.`;
    for (const [name, value] of Object.entries(row)) {
      const type = types.get(name);
      if (!type) return `Record ${i}: column '${name}' is not declared in the stream.`;
      if (value !== null && !fits(type, value))
        return `Record ${i}: column '${name}' is declared ${type}, got ${JSON.stringify(value).slice(0, 80)}.`;
    }
  }
  return undefined;
}

function fits(type: Column['type'], v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'datetime':
      return typeof v === 'string' && !Number.isNaN(Date.parse(v));
    case 'int':
    case 'long':
      return Number.isInteger(v);
    case 'real':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'dynamic':
      return true;
  }
}
