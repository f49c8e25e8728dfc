/**
 * Keeps the test services (Temporal dev server, PostgreSQL and FerretDB on it) running until
 * Ctrl-C, so repeated `vitest` runs reuse them instead of starting their own.
 */
import { ensureTestServices, TEST_PORTS } from './lib/test-services';

ensureTestServices().then(
  (stop) => {
    const { temporal, mongo, postgres } = TEST_PORTS;
    console.log(
      `test services up: Temporal 127.0.0.1:${temporal}, FerretDB 127.0.0.1:${mongo} on PostgreSQL 127.0.0.1:${postgres} (Ctrl-C stops)`,
    );
    const shutdown = () => stop().then(() => process.exit(0));
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  },
  (err: unknown) => {
    console.error('test services could not start:', err);
    process.exit(1);
  },
);
