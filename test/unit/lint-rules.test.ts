/**
 * The lint rules that carry the architecture (eslint.config.mjs) bite: each wrong import or
 * sandbox-unsafe call below fails lint with its rule's message, and the right ones pass. The
 * snippets are linted as if they were the named file (without type information, for speed).
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, test } from 'vitest';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: path.resolve(__dirname, '../..'), overrideConfig: tseslint.configs.disableTypeChecked });
});

async function problems(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\n`, { filePath: file });
  return result.messages.filter((m) => m.ruleId !== '@typescript-eslint/no-unused-vars').map((m) => m.message);
}

describe('direction of dependencies', () => {
  test.each([
    ['lib/invites/send.ts', "import { parse } from '../../web/http/validation';", 'Nothing outside web/'],
    ['cli/main.ts', "import { createApp } from '../web/app';", 'Nothing outside web/'],
    ['lib/deletion/requests.ts', "import type { DeleteUserWorkflow } from '../../workflows/user-deletion';", 'lib/ is use cases'],
    ['lib/sso/sign-in.ts', "import { createActivities } from '../../activities';", 'lib/ is use cases'],
    ['lib/accounts/staff.ts', "const workers = import('../../worker/workers');", 'Import our own modules statically'],
    ['lib/contracts/shared.ts', "import { audit } from '../audit';", 'lib/contracts/ is pure'],
    ['workflows/user-deletion.ts', "import { audit } from '../lib/audit';", 'Workflows import only lib/contracts/'],
    ['workflows/onboarding/consent.ts', "import { TenantModel } from '../../lib/models';", 'Workflows import only lib/contracts/'],
    ['workflows/user-deletion.ts', "import { createActivities } from '../activities';", 'Workflows see activities as types only'],
    ['bench/saml-acs.ts', "import { Inbox } from '../test/support/inbox';", 'bench/ and scripts/ stand without test/'],
    ['scripts/lib/services.ts', "import { createTestEnv } from '../../test/support/env';", 'bench/ and scripts/ stand without test/'],
  ])('refuses %s: %s', async (file, source, rule) => {
    expect(await problems(file, source)).toEqual([expect.stringContaining(rule)]);
  });

  test.each([
    ['web/routes/auth.ts', "import { passwordSignIn } from '../../lib/accounts/password-sign-in';"],
    ['test/accounts/sign-in.test.ts', "import { createApp } from '../../web/app';"],
    ['workflows/user-deletion.ts', "import type { Activities } from '../activities';"],
    ['workflows/onboarding/activities.ts', "import type { Activities } from '../../activities';"],
    ['workflows/user-deletion.ts', "import { deletionProgressQuery } from '../lib/contracts/deletion';"],
    ['workflows/onboarding/stage.ts', "import { refuse } from '../../lib/contracts/refusal';\nimport { note } from './timeline';"],
    [
      'lib/contracts/onboarding-input.ts',
      "import { ApplicationFailure } from '@temporalio/workflow';\nimport { FailureType } from './failures';",
    ],
    ['activities/deletion/notify.ts', "import type { DeletionCounts } from '../../lib/contracts/deletion';"],
  ])('allows %s: %s', async (file, source) => {
    expect(await problems(file, source)).toEqual([]);
  });
});

describe('the workflow sandbox (workflows/ and lib/contracts/)', () => {
  test.each([
    ['workflows/onboarding/consent.ts', "import { setTimeout } from 'node:timers/promises';", 'no Node built-ins'],
    ['workflows/user-migration.ts', "import { Client } from '@temporalio/client';", 'only @temporalio/workflow and @temporalio/common'],
    ['lib/contracts/shared.ts', "import { createHash } from 'crypto';", 'no Node built-ins'],
    ['workflows/user-migration.ts', 'setTimeout(() => undefined, 1000);', 'Use sleep() or condition()'],
    ['workflows/user-migration.ts', 'export const id = Math.random();', 'Use uuid4()'],
    ['lib/contracts/shared.ts', 'export const cwd = process.cwd();', 'Not available in the workflow sandbox'],
    ['lib/contracts/shared.ts', 'export const at = Date.now();', 'take the time as an argument'],
    ['lib/contracts/shared.ts', 'export const at = new Date();', 'take the time as an argument'],
  ])('refuses %s: %s', async (file, source, rule) => {
    expect(await problems(file, source)).toEqual([expect.stringContaining(rule)]);
  });

  test('workflow time is the sandbox’s Date (replay-safe), and outside the sandbox anything goes', async () => {
    expect(
      await problems(
        'workflows/onboarding/consent.ts',
        'export const expiresAt = Date.now() + 1000;\nexport const at = new Date().toISOString();',
      ),
    ).toEqual([]);
    expect(
      await problems(
        'lib/accounts/emails.ts',
        "import { setTimeout } from 'node:timers/promises';\nexport const at = Date.now() + Math.random();\nvoid setTimeout(1);",
      ),
    ).toEqual([]);
  });
});
