/**
 * Lint: typescript-eslint's recommended rules, floating promises, the direction of
 * dependencies (ARCHITECTURE.md, "Processes") and the workflow sandbox's restrictions.
 * `npm run lint`; `npm test` runs it first. test/unit/lint-rules.test.ts shows each rule bite.
 *
 * The direction is checked on import specifiers, so a rule names how deep its folder's files
 * sit (lib/ goes three folders down, workflows/ one).
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** A relative specifier that reaches top-level `folder` from a file at most `depth` folders down. */
const into = (folder, depth) => `^(\\./|(\\.\\./){1,${depth}})${folder}(/|$)`;
const noWeb = { regex: into('web', 5), message: 'Nothing outside web/ (and test/) imports web/: web is routes, views and HTTP only.' };
const imports = (...patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { patterns }] });

/** import('./x') would hide a dependency from the rules above. */
const STATIC_ONLY = {
  selector: 'ImportExpression > Literal[value=/^\\./]',
  message: 'Import our own modules statically, so that the dependency rules see them.',
};

/** Temporal's workflow sandbox (workflow code, and the contracts it imports). */
const SANDBOX_IMPORTS = [
  {
    regex: '^(?!\\.|@temporalio/(common|workflow)$)',
    message:
      'Workflow code runs in the deterministic sandbox: no Node built-ins or other packages, only @temporalio/workflow and @temporalio/common.',
  },
];
const SANDBOX_GLOBALS = [
  ...['setTimeout', 'setInterval', 'setImmediate'].map((name) => ({
    name,
    message: 'Use sleep() or condition() from @temporalio/workflow: a durable timer.',
  })),
  ...['process', 'Buffer', 'require', '__dirname', '__filename'].map((name) => ({
    name,
    message: 'Not available in the workflow sandbox.',
  })),
];
const NO_RANDOM = { object: 'Math', property: 'random', message: 'Use uuid4() from @temporalio/workflow.' };

export default defineConfig(
  { ignores: ['node_modules/', '.tools/', '.data/', 'dist/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // tsc reports unused names (noUnusedLocals/Parameters); `_name` marks an intended one.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // Config files outside tsconfig.json: linted without type information.
  { files: ['**/*.mjs', '**/*.mts'], extends: [tseslint.configs.disableTypeChecked] },

  // ---- Direction of dependencies ------------------------------------------------------
  {
    files: ['**/*.ts', '**/*.mts'],
    ignores: ['web/**', 'test/**'],
    rules: { ...imports(noWeb), 'no-restricted-syntax': ['error', STATIC_ONLY] },
  },
  {
    files: ['lib/**/*.ts'],
    rules: imports(noWeb, {
      regex: into('(workflows|activities|worker|cli)', 4),
      message: 'lib/ is use cases and infrastructure: it never reaches into workflows/, activities/, worker/ or cli/.',
    }),
  },
  {
    files: ['scripts/**/*.ts', 'bench/**/*.ts'],
    rules: imports(noWeb, {
      regex: into('test', 3),
      message: 'bench/ and scripts/ stand without test/: what they share with tests lives in scripts/lib/.',
    }),
  },
  {
    files: ['lib/contracts/**/*.ts'],
    rules: {
      ...imports(...SANDBOX_IMPORTS, {
        regex: '^\\.\\./',
        message: 'lib/contracts/ is pure: it imports nothing of ours but other contracts.',
      }),
      'no-restricted-globals': ['error', ...SANDBOX_GLOBALS],
      // Pure, and also run outside the sandbox: a rule that needs the time takes it as an argument.
      'no-restricted-properties': [
        'error',
        NO_RANDOM,
        { object: 'Date', property: 'now', message: 'lib/contracts/ is pure: take the time as an argument.' },
      ],
      'no-restricted-syntax': [
        'error',
        STATIC_ONLY,
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'lib/contracts/ is pure: take the time as an argument.',
        },
      ],
    },
  },
  ...[
    ['workflows/*.ts', '\\.\\./'],
    ['workflows/*/*.ts', '\\.\\./\\.\\./'],
  ].map(([files, up]) => ({
    files: [files],
    rules: {
      ...imports(
        ...SANDBOX_IMPORTS,
        {
          regex: `^${up}activities(/|$)`,
          allowTypeImports: true,
          message: 'Workflows see activities as types only (`import type`) and call them through proxyActivities.',
        },
        { regex: `^${up}(?!lib/contracts/|activities(/|$))`, message: 'Workflows import only lib/contracts/ (and activity types).' },
      ),
      'no-restricted-globals': ['error', ...SANDBOX_GLOBALS],
      // Date stays allowed: in the sandbox, new Date() and Date.now() are the workflow task's
      // time, the same on replay (the SDK's own advice). Math.random is replaced too, but
      // uuid4() says what is meant.
      'no-restricted-properties': ['error', NO_RANDOM],
    },
  })),
  {
    files: ['workflows/*/*/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Program', message: 'workflows/ is at most one folder deep (the lint rules above count on it).' },
      ],
    },
  },
);
