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
    hookTimeout: 120_000,
  },
});
