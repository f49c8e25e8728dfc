/**
 * Keeps the test services (Temporal dev server on 7244, FerretDB on 27044) running until
 * Ctrl-C, so repeated `vitest` runs reuse them instead of starting their own.
 */
import { ensureTestServices } from './lib/test-services';

ensureTestServices().then((stop) => {
  console.log('test services up: Temporal 127.0.0.1:7244, FerretDB 127.0.0.1:27044 (Ctrl-C stops)');
  const shutdown = () => stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
});
