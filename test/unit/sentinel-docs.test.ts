import fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { RESERVED_COLUMN_NAMES, STREAM_COLUMNS } from '../../lib/audit-stream/columns';
import { REJECTION_REASONS } from '../../lib/saml/rejection';

/**
 * docs/sentinel.md is what a customer deploys and queries: its table and DCR must declare
 * exactly the columns the stream sends, no column may be a reserved name, and its KQL may
 * only use columns that exist and reasons that are real.
 */
const doc = fs.readFileSync('docs/sentinel.md', 'utf8');
const blocks = (lang: string) => [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

describe('the columns', () => {
  test('none is reserved by Log Analytics, and each is a valid column name', () => {
    const reserved = new Set(RESERVED_COLUMN_NAMES.map((n) => n.toLowerCase()));
    expect(STREAM_COLUMNS.filter((c) => reserved.has(c.name.toLowerCase()))).toEqual([]);
    for (const { name } of STREAM_COLUMNS) expect(name).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,44}$/);
    expect(RESERVED_COLUMN_NAMES).toContain('TenantId');
  });

  test('the ARM template declares exactly the stream’s columns, for the table and the DCR stream', () => {
    const [arm] = blocks('json');
    const template = JSON.parse(arm);
    expect(template.variables.columns).toEqual(STREAM_COLUMNS.map(({ name, type }) => ({ name, type })));
    const [table, dcr] = template.resources;
    expect(table.properties.schema.columns).toBe("[variables('columns')]");
    expect(dcr.properties.streamDeclarations['Custom-EntradaAudit_CL'].columns).toBe("[variables('columns')]");
  });
});

test('the KQL uses only real columns (or ones it computes) and real refusal reasons', () => {
  const columns = new Set<string>(STREAM_COLUMNS.map((c) => c.name));
  for (const kql of blocks('kql')) {
    const computed = new Set([...kql.matchAll(/\b([A-Z]\w*)\s*=(?!=)/g)].map((m) => m[1]));
    const used = [...kql.matchAll(/\b([A-Z][A-Za-z]*[a-z][A-Za-z_]*)\b/g)]
      .map((m) => m[1])
      .filter((w) => !['EntradaAudit_CL', 'Logon', 'Failure'].includes(w));
    expect(used.filter((w) => !columns.has(w) && !computed.has(w))).toEqual([]);
  }
  const reasons = [...doc.matchAll(/`([a-z]+(?:-[a-z]+)+)`/g)].map((m) => m[1]).filter((r) => /mismatch|invalid|allowed/.test(r));
  expect(reasons.length).toBeGreaterThan(0);
  for (const r of reasons) expect(REJECTION_REASONS).toContain(r);
});
