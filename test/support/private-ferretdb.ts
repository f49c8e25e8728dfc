import net from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { dataDir, ferretdbSpec, startService, waitForPort } from '../../scripts/lib/services';
import { ferretdbPostgresUrl } from '../../scripts/lib/postgres';
import { TEST_PORTS } from '../../scripts/lib/test-services';

/**
 * A FerretDB process of the file's own, on the shared test PostgreSQL, that the test may kill
 * and start again (the shared FerretDB serves every other file and must stay up).
 */
export class PrivateFerretdb {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateFerretdb> {
    const db = new PrivateFerretdb(await freePort());
    await db.restart();
    return db;
  }

  get url(): string {
    return `mongodb://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return Boolean(this.child && this.child.exitCode === null && !this.child.signalCode);
  }

  async restart(): Promise<void> {
    const spec = ferretdbSpec({
      port: this.port,
      postgresUrl: ferretdbPostgresUrl(TEST_PORTS.postgres),
      logFile: `${dataDir('logs')}/test-ferretdb-${this.port}.log`,
    });
    this.child = startService(spec);
    await waitForPort(this.port, 'private FerretDB', 30_000, this.child);
  }

  /** SIGKILL: no goodbye to the clients, as when the machine or the process dies. */
  kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
