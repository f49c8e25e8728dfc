import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The direction of dependencies (ARCHITECTURE.md, Layout), checked on every import until
 * lint rules take it over: web/ is a leaf that nothing but tests imports; lib/ never reaches
 * into workflow, activity or composition code; lib/contracts/ is pure; workflows/ see only
 * contracts (and activity types); bench/ and scripts/ stand without test/.
 */
const ROOT = path.resolve(__dirname, '../..');
const SKIP = new Set(['node_modules', '.git', '.tools', '.data']);

interface Import {
  /** Repository-relative path of the imported module (no extension), only for our own files. */
  target: string;
  typeOnly: boolean;
  line: number;
}

const STATIC = /^[ \t]*(?:import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const BARE = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string, source: string): Import[] {
  const found: Import[] = [];
  const add = (spec: string, typeOnly: boolean, index: number) => {
    if (!spec.startsWith('.')) return; // packages and Node built-ins
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    found.push({ target, typeOnly, line: source.slice(0, index).split('\n').length });
  };
  for (const m of source.matchAll(STATIC)) add(m[2], Boolean(m[1]), m.index);
  for (const m of source.matchAll(BARE)) add(m[1], false, m.index);
  for (const m of source.matchAll(DYNAMIC)) add(m[1], false, m.index);
  return found;
}

const within = (p: string, folder: string) => p === folder || p.startsWith(`${folder}/`);

/** The rule an import breaks, or undefined. */
function brokenRule(file: string, imp: Import): string | undefined {
  const t = imp.target;
  if (!within(file, 'web') && !within(file, 'test') && within(t, 'web')) return 'only web/ and tests may import web/';
  if (within(file, 'lib') && ['workflows', 'activities', 'worker', 'cli'].some((f) => within(t, f))) {
    return 'lib/ must not import workflows/, activities/, worker/ or cli/';
  }
  if (within(file, 'lib/contracts') && !within(t, 'lib/contracts')) return 'lib/contracts/ imports nothing of ours but other contracts';
  if (within(file, 'workflows') && !within(t, 'workflows') && !within(t, 'lib/contracts') && !(imp.typeOnly && within(t, 'activities'))) {
    return 'workflows/ import only lib/contracts/ (and activity types with `import type`)';
  }
  if ((within(file, 'bench') || within(file, 'scripts')) && within(t, 'test')) return 'bench/ and scripts/ must not import test/';
  return undefined;
}

function sourceFiles(dir = ''): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : sourceFiles(rel);
    return /\.(ts|mts)$/.test(e.name) ? [rel] : [];
  });
}

function violations(files: Array<{ file: string; source: string }>): string[] {
  return files.flatMap(({ file, source }) =>
    importsOf(file, source).flatMap((imp) => {
      const rule = brokenRule(file, imp);
      return rule ? [`${file}:${imp.line} imports ${imp.target}: ${rule}`] : [];
    }),
  );
}

describe('dependency direction', () => {
  it('holds for every source file in the repository', () => {
    const files = sourceFiles().map((file) => ({ file, source: fs.readFileSync(path.join(ROOT, file), 'utf8') }));
    expect(files.length).toBeGreaterThan(100);
    expect(violations(files)).toEqual([]);
  });

  it.each([
    ['lib/invites/send.ts', "import { parse } from '../../web/http/validation';", 'only web/ and tests may import web/'],
    ['cli/main.ts', "import { createApp } from '../web/app';", 'only web/ and tests may import web/'],
    ['lib/deletion/requests.ts', "import type { deleteUser } from '../../workflows/user-deletion';", 'lib/ must not import workflows/'],
    ['lib/accounts/x.ts', "const w = require('../../worker/workers');", 'lib/ must not import workflows/'],
    ['lib/contracts/shared.ts', "import { audit } from '../audit';", 'lib/contracts/ imports nothing of ours'],
    ['workflows/user-deletion.ts', "import { audit } from '../lib/audit';", 'workflows/ import only lib/contracts/'],
    ['workflows/user-deletion.ts', "import { createActivities } from '../activities';", 'workflows/ import only lib/contracts/'],
    ['bench/saml-acs.ts', "import {\n  Inbox,\n} from '../test/support/inbox';", 'bench/ and scripts/ must not import test/'],
  ])('refuses %s: %s', (file, source, rule) => {
    const found = violations([{ file, source: `// header\n${source}\n` }]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}:2 imports .*: ${rule.replace(/[/()`]/g, '\\$&')}`));
  });

  it.each([
    ['web/routes/auth.ts', "import { passwordSignIn } from '../../lib/accounts/password-sign-in';"],
    ['test/accounts/sign-in.test.ts', "import { createApp } from '../../web/app';"],
    ['workflows/user-deletion.ts', "import type { Activities } from '../activities';"],
    ['workflows/user-deletion.ts', "import { deletionProgressQuery } from '../lib/contracts/deletion';"],
    ['lib/contracts/onboarding-input.ts', "import { ApplicationFailure } from '@temporalio/workflow';"],
    ['activities/deletion/notify.ts', "import type { DeletionCounts } from '../../lib/contracts/deletion';"],
  ])('allows %s: %s', (file, source) => {
    expect(violations([{ file, source }])).toEqual([]);
  });
});
