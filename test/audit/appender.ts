/**
 * A separate process appending to the audit trail (run by chain.test.ts with tsx): like a web
 * or worker process, it has its own connection and its own idea of where each chain ends.
 * Env: MONGO_URL, TENANT_ID, COUNT, CONCURRENCY. Says `ready` once connected and starts when a
 * line arrives on stdin (so several processes begin together), then prints the IDs it appended.
 */
import { audit } from '../../lib/audit';
import { connectDb, disconnectDb } from '../../lib/db';

async function main() {
  await connectDb(process.env.MONGO_URL!);
  process.stdout.write('ready\n');
  await new Promise((r) => process.stdin.once('data', r));
  const count = Number(process.env.COUNT);
  const ids: string[] = [];
  const lane = async (lane: number) => {
    for (let i = lane; i < count; i += Number(process.env.CONCURRENCY)) {
      ids.push(
        await audit({ action: 'test.append', outcome: 'success', tenantId: process.env.TENANT_ID, details: { pid: process.pid, i } }),
      );
    }
  };
  await Promise.all(Array.from({ length: Number(process.env.CONCURRENCY) }, (_, l) => lane(l)));
  process.stdout.write(`${ids.join('\n')}\n`);
  await disconnectDb();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
