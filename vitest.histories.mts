import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

/** `npm run record:histories`: test/workflows/histories/record.ts, outside the test suite. */
export default defineConfig({
  test: { ...base.test, include: ['test/workflows/histories/record.ts'], reporters: ['default'] },
});
