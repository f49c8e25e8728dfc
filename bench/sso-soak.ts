/**
 * SSO soak benchmark (`npm run bench:soak`), a script, not a test: services of its own
 * (bench/lib/stack.ts), the web app and the worker as their own processes, SOAK_EXTRA_USERS
 * standard users already in the database, and concurrent sign-ins of every kind at once
 * (scripts/lib/sso-soak.ts, which the soak test shares):
 *   - at a live tenant: new SSO users, returning users, password users migrated at their first
 *     SSO sign-in, and replays of responses already used;
 *   - at a tenant in `testing` with a real onboarding workflow: new users (each one test
 *     evidence) and replays.
 * Prints the count per journey and outcome, latencies and the longest workflow histories;
 * exits 1 on any 5xx, wrong refusal, wrong user, accepted replay or rate-limit refusal.
 *
 * Env: SOAK_SIGN_INS (600), SOAK_REPLAYS (120), SOAK_CONCURRENCY (8), SOAK_EXTRA_USERS (20000),
 * SOAK_WEB_PROCESSES (1).
 */
import os from 'node:os';
import mongoose from 'mongoose';
import type { Client } from '@temporalio/client';
import { createEntraEmulator, type EmulatedTenant } from '../emulator';
import { parseConfig, type Config } from '../lib/config';
import * as m from '../lib/contracts/onboarding-messages';
import type { TenantOnboardingWorkflow } from '../lib/contracts/onboarding-state';
import { onboardingWorkflowId } from '../lib/contracts/shared';
import { connectDb } from '../lib/db';
import { UserModel } from '../lib/models';
import { hashPassword } from '../lib/passwords';
import { acsUrl, spEntityId } from '../lib/saml/sp-urls';
import { createTemporalClient } from '../lib/temporal';
import { longestHistory, OUTCOMES, runSoak, type SoakPlan, type SoakReport, type SoakTenant } from '../scripts/lib/sso-soak';
import { legacyUsers, setUpSsoTenant } from './lib/sso';
import { freePort, ONE_ADDRESS_LOAD, startStack, waitForHttp, appEnv } from './lib/stack';
import { sleep } from './lib/stats';

const SIGN_INS = Number(process.env.SOAK_SIGN_INS ?? 600);
const REPLAYS = Number(process.env.SOAK_REPLAYS ?? 120);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 8);
const EXTRA_USERS = Number(process.env.SOAK_EXTRA_USERS ?? 20_000);
const WEB_PROCESSES = Number(process.env.SOAK_WEB_PROCESSES ?? 1);
const WRONG = ['5xx', 'wrong refusal', 'wrong user', 'replay accepted', 'rate limited'] as const;

async function main() {
  const stack = await startStack('bench-soak');
  const entra = createEntraEmulator();
  const entraServer = await entra.listen(0);
  try {
    const ports = await Promise.all(Array.from({ length: WEB_PROCESSES }, freePort));
    const origins = ports.map((p) => `http://127.0.0.1:${p}`);
    const env = {
      ...appEnv(stack, {
        database: `soak${Date.now().toString(36)}`,
        publicUrl: `http://127.0.0.1:${ports[0]}`,
        taskQueue: 'entrada-soak',
      }),
      ENTRA_LOGIN_BASE_URL: entraServer.url,
      ...ONE_ADDRESS_LOAD,
    };
    const config = parseConfig(env);
    await connectDb(config.MONGO_URL);
    const temporal = await createTemporalClient(config);
    try {
      // The database as a real organisation's: many users already there.
      for (let done = 0; done < EXTRA_USERS; done += 1000) {
        await UserModel.insertMany(
          Array.from({ length: Math.min(1000, EXTRA_USERS - done) }, (_, i) => ({
            email: `existing${done + i}@elsewhere.example`,
            emailConfirmedAt: new Date(),
          })),
        );
      }
      const worker = stack.startApp('worker', 'worker/main.ts', env);
      const polling = new Promise<void>((resolve) => worker.stdout?.on('data', (d) => String(d).includes('worker: polling') && resolve()));
      ports.forEach((port) => stack.startApp(`web:${port}`, 'web/main.ts', { ...env, WEB_PORT: String(port) }));
      await Promise.all([...origins.map((o) => waitForHttp(`${o}/healthz`)), polling]);

      const soakTenant = ({ tenantId, emulated }: Pick<SoakTenant, 'tenantId' | 'emulated'>): SoakTenant => ({
        tenantId,
        emulated,
        acsUrl: acsUrl(config, tenantId),
        entityId: spEntityId(config, tenantId),
      });
      const live = await setUpSsoTenant(config, 'soak.example');
      const atLive = soakTenant(live);
      const pilot = await onboardToTesting(temporal, config, entra.createTenant({ name: 'Soak Pilot' }));
      const atPilot = soakTenant({ tenantId: pilot.tenantId, emulated: pilot });

      // A fifth each: returning users, migrations, pilot users; the rest new users at the live tenant.
      const fifth = Math.floor(SIGN_INS / 5);
      const emails = (n: number, prefix: string, domain: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}@${domain}`);
      const signIns: SoakPlan['signIns'] = [
        ...emails(SIGN_INS - 3 * fifth, 'new', 'soak.example').map((email) => ({ kind: 'new user' as const, tenant: atLive, email })),
        ...emails(fifth, 'back', 'soak.example').map((email) => ({ kind: 'returning user' as const, tenant: atLive, email })),
        ...(await legacyUsers(live, fifth, await hashPassword('soak-password-123'))).map((email) => ({
          kind: 'migration' as const,
          tenant: atLive,
          email,
        })),
        ...emails(fifth, 'pilot', 'pilot.example').map((email) => ({ kind: 'new user' as const, tenant: atPilot, email })),
      ];
      for (const s of signIns) if (s.kind !== 'migration') s.tenant.emulated.addUser({ email: s.email });
      const returning = signIns.filter((s) => s.kind === 'returning user');
      const warmUp = await runSoak(origins, { signIns: returning, replays: 0 }, { concurrency: CONCURRENCY });
      if (warmUp.counts['returning user']['signed in'] !== returning.length)
        throw new Error(`warm-up failed: ${warmUp.problems.join('; ')}`);

      const report = await runSoak(origins, { signIns, replays: REPLAYS }, { concurrency: CONCURRENCY });
      const migrations = await longestHistory(temporal, `WorkflowType = 'migrateUser' AND TaskQueue = '${config.TEMPORAL_TASK_QUEUE}'`);
      const onboarding = await longestHistory(temporal, `WorkflowId = '${onboardingWorkflowId(atPilot.tenantId)}'`);
      console.log(
        [
          `SSO soak: ${SIGN_INS} sign-ins + ${REPLAYS} replays, concurrency ${CONCURRENCY}, ${WEB_PROCESSES} web process(es), ${EXTRA_USERS} extra users; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}, node ${process.version}`,
          `${report.seconds} s (${(SIGN_INS / report.seconds).toFixed(1)} sign-ins/s)`,
          '',
          ...table(report),
          '',
          `longest history: onboarding ${onboarding.events} events (${onboarding.workflows} run(s)); migrateUser ${migrations.events} events (of ${migrations.workflows} workflows)`,
          ...(report.problems.length ? ['', 'problems:', ...report.problems.map((p) => `  ${p}`)] : []),
        ].join('\n'),
      );
      await stack.stopApps();
      await mongoose.connection.dropDatabase();
      process.exitCode = Object.values(report.counts).some((c) => WRONG.some((o) => c[o] > 0)) ? 1 : 0;
    } finally {
      await temporal.connection.close();
      await mongoose.disconnect();
    }
  } finally {
    await entraServer.close();
    await stack.stop();
  }
}

/** Counts per journey and outcome, as a Markdown table for BENCHMARKS.md. */
function table(report: SoakReport): string[] {
  const kinds = Object.keys(report.counts) as (keyof SoakReport['counts'])[];
  return [
    `| journey | ${OUTCOMES.join(' | ')} | p50 ms | p95 ms |`,
    `| --- | ${OUTCOMES.map(() => '---:').join(' | ')} | ---: | ---: |`,
    ...kinds.map(
      (k) => `| ${k} | ${OUTCOMES.map((o) => report.counts[k][o]).join(' | ')} | ${report.latencyMs[k].p50} | ${report.latencyMs[k].p95} |`,
    ),
  ];
}

/** A real onboarding workflow taken to `testing`: consent signalled, metadata fetched from the emulator. */
async function onboardToTesting(temporal: Client, config: Config, emulated: EmulatedTenant): Promise<EmulatedTenant> {
  const handle = await temporal.workflow.start<TenantOnboardingWorkflow>('tenantOnboarding', {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId: onboardingWorkflowId(emulated.tenantId),
    args: [
      {
        tenantId: emulated.tenantId,
        orgName: emulated.name,
        adminEmails: ['it@pilot.example'],
        proposedDomains: ['pilot.example'],
        requestedBy: 'bench@entrada.test',
        consentReminderIntervalMs: config.CONSENT_REMINDER_INTERVAL,
        consentExpiryMs: config.CONSENT_EXPIRY,
      },
    ],
  });
  const stage = async (want: string) => {
    for (let i = 0; i < 600 && (await handle.query(m.onboardingStateQuery)).stage !== want; i++) await sleep(100);
  };
  await stage('awaiting-consent');
  await handle.signal(m.consentGrantedSignal, { round: 1, grantedAt: new Date().toISOString(), auditEventId: 'bench' });
  await stage('testing');
  return emulated;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error('bench: failed', err);
    process.exit(1);
  },
);
