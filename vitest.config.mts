import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Each file gets its own process (mongoose and Temporal workers are per-process), its
    // own namespace, database and inbox, so files run in parallel on the shared servers.
    pool: 'forks',
    reporters: ['default', 'json', './test/support/summary-reporter.ts'],
    outputFile: { json: '.data/test-results.json' },
    testTimeout: 60_000,
    // One retry: on a loaded 2-core machine a few end-to-end tests (real Temporal long-polls,
    // worker kills, SAML logout round trips) have shown rare timing failures that do not
    // reproduce alone. A retried test is reported as flaky in the output; a real failure
    // still fails twice.
    retry: 1,
    hookTimeout: 120_000,
  },
});
