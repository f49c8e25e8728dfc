/**
 * Groups-overage sign-in cost (`npm run bench:overage`), a script, not a test: a live tenancy
 * with a group gate, the web app and worker as their own processes, and the Entra emulator
 * listening (token endpoint and Graph). Half the users are in 160 groups (overage: the token
 * carries groups.link and the gate asks Graph), half in one allowed group (no look-up). After a
 * warm-up that fills the Graph cache, sign-ins alternate between the two kinds one at a time, and
 * the p50s are compared: the target is that a warm overage sign-in adds < 5 ms p50.
 *
 * Env: BENCH_N (300 sign-ins of each kind).
 */
import os from 'node:os';
import mongoose from 'mongoose';
import { createEntraEmulator } from '../emulator';
import { parseConfig } from '../lib/config';
import { connectDb } from '../lib/db';
import { TenantModel } from '../lib/models';
import { setUpSsoTenant } from './lib/sso';
import { freePort, ONE_ADDRESS_LOAD, startStack, waitForHttp, appEnv } from './lib/stack';
import { round, summary } from './lib/stats';
import { runBench } from './lib/run';

const N = Number(process.env.BENCH_N ?? 300);
const USERS = 25;
const ALLOWED = '7e7e7e7e-0000-4000-8000-000000000001';
const groups = (n: number) => Array.from({ length: n }, (_, i) => `7e7e7e7e-0000-4000-8000-${String(1000 + i).padStart(12, '0')}`);

async function main() {
  const stack = await startStack('bench-overage');
  const entra = createEntraEmulator();
  const listening = await entra.listen(0);
  try {
    const port = await freePort();
    const env = {
      ...appEnv(stack, { database: `overage${Date.now().toString(36)}`, publicUrl: `http://127.0.0.1:${port}` }),
      ENTRA_LOGIN_BASE_URL: listening.url,
      GRAPH_BASE_URL: listening.url,
      ENTRA_CLIENT_SECRET: 'bench-secret',
      ...ONE_ADDRESS_LOAD,
    };
    const config = parseConfig(env);
    await connectDb(config.MONGO_URL);
    try {
      const sso = await setUpSsoTenant(config, 'overage.example', 'entra', entra);
      const tenant = entra.getTenant(sso.tenantId)!;
      await TenantModel.updateOne({ tenantId: sso.tenantId }, { $set: { allowedGroups: [ALLOWED] }, $inc: { configVersion: 1 } });
      tenant.recordConsent(config.ENTRA_CLIENT_ID);
      for (let i = 0; i < USERS; i++) {
        sso.emulated.addUser({ email: `many${i}@overage.example`, groups: [...groups(159), ALLOWED] });
        sso.emulated.addUser({ email: `few${i}@overage.example`, groups: [ALLOWED] });
      }
      const worker = stack.startApp('worker', 'worker/main.ts', env);
      const polling = new Promise<void>((resolve) => worker.stdout?.on('data', (d) => String(d).includes('worker: polling') && resolve()));
      stack.startApp('web', 'web/main.ts', { ...env, WEB_PORT: String(port) });
      await Promise.all([waitForHttp(`${env.PUBLIC_BASE_URL}/healthz`), polling]);
      const origin = env.PUBLIC_BASE_URL;
      const signIn = async (email: string) => sso.postAcs(origin, sso.sign(email, await sso.startLogin(origin)));

      // Warm-up: provisions every user, fills the Graph cache, warms the JITs.
      for (let i = 0; i < USERS; i++) await Promise.all([signIn(`many${i}@overage.example`), signIn(`few${i}@overage.example`)]);
      const graphCallsBefore = tenant.graphCalls();

      const overage: number[] = [];
      const plain: number[] = [];
      for (let i = 0; i < N; i++) {
        overage.push(await signIn(`many${i % USERS}@overage.example`));
        plain.push(await signIn(`few${i % USERS}@overage.example`));
      }
      const [o, p] = [summary(overage), summary(plain)];
      console.log(
        JSON.stringify(
          {
            machine: `${os.cpus().length} cores, node ${process.version}, load ${os.loadavg().map(round).join(' ')}`,
            n: N,
            overageWarmMs: o,
            noOverageMs: p,
            addedP50Ms: round(o.p50 - p.p50),
            graphCallsDuringRun: tenant.graphCalls() - graphCallsBefore,
          },
          null,
          2,
        ),
      );
      await stack.stopApps();
      await mongoose.connection.dropDatabase();
    } finally {
      await mongoose.disconnect();
    }
  } finally {
    await listening.close();
    await stack.stop();
  }
}

runBench(main);
