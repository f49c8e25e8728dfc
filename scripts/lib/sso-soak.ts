/**
 * A soak of SSO sign-ins against a running Entrada, shared by the soak test and
 * `npm run bench:soak`: first sign-ins of new SSO users, returning users, first sign-ins of
 * password users (each migrated by a workflow) and replays of responses already used, all
 * interleaved and run by concurrent clients. Each journey is judged as a person would:
 * a valid response must sign in exactly its own user (the session is asked who it is), a
 * replay must be refused and sign in nobody, and nothing may answer 5xx.
 */
import { inflateRawSync } from 'node:zlib';
import type { Client } from '@temporalio/client';
import type { EmulatedTenant } from '../../emulator';
import { HttpClient } from './http-client';

export interface SoakTenant {
  tenantId: string;
  emulated: Pick<EmulatedTenant, 'addUser' | 'issueSamlResponse'>;
  acsUrl: string;
  entityId: string;
}

export type JourneyKind = 'new user' | 'returning user' | 'migration' | 'replay';
export const OUTCOMES = ['signed in', 'replay refused', '5xx', 'wrong refusal', 'wrong user', 'replay accepted', 'rate limited'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface SoakPlan {
  /** Valid sign-ins: whose response, at which tenant, and which kind of journey it is. */
  signIns: { kind: Exclude<JourneyKind, 'replay'>; tenant: SoakTenant; email: string }[];
  /** Replays of responses used by earlier sign-ins of the plan, interleaved with them. */
  replays: number;
}

export interface SoakReport {
  counts: Record<JourneyKind, Record<Outcome, number>>;
  /** What went wrong, one line per journey that did not end as it should (first 50). */
  problems: string[];
  latencyMs: Record<JourneyKind, { p50: number; p95: number; max: number }>;
  seconds: number;
}

interface Result {
  outcome: Outcome;
  detail?: string;
}

/** Runs the plan with `concurrency` clients; `origins` are the web processes (round robin). */
export async function runSoak(origins: string[], plan: SoakPlan, opts: { concurrency: number; seed?: number }): Promise<SoakReport> {
  const random = mulberry32(opts.seed ?? 42);
  const used = plan.signIns.map(() => deferred<{ tenant: SoakTenant; samlResponse: string } | undefined>());
  // Replays go after a random earlier sign-in and replay one of those before them.
  const order: ({ kind: 'sign-in'; index: number } | { kind: 'replay'; of: number })[] = plan.signIns.map((_, index) => ({
    kind: 'sign-in',
    index,
  }));
  for (let r = 0; r < plan.replays; r++) {
    const at = 1 + Math.floor(random() * order.length);
    const earlier = order.slice(0, at).filter((s) => s.kind === 'sign-in') as { index: number }[];
    order.splice(at, 0, { kind: 'replay', of: earlier[Math.floor(random() * earlier.length)].index });
  }

  const counts = Object.fromEntries(
    (['new user', 'returning user', 'migration', 'replay'] as const).map((k) => [k, Object.fromEntries(OUTCOMES.map((o) => [o, 0]))]),
  ) as SoakReport['counts'];
  const latencies: Record<JourneyKind, number[]> = { 'new user': [], 'returning user': [], migration: [], replay: [] };
  const problems: string[] = [];
  const record = (kind: JourneyKind, what: string, started: number, result: Result) => {
    counts[kind][result.outcome]++;
    latencies[kind].push(performance.now() - started);
    if (result.detail && problems.length < 50) problems.push(`${kind} ${what}: ${result.outcome}: ${result.detail}`);
  };

  const began = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      for (let i = next++; i < order.length; i = next++) {
        const step = order[i];
        const origin = origins[i % origins.length];
        const started = performance.now();
        if (step.kind === 'sign-in') {
          const { kind, tenant, email } = plan.signIns[step.index];
          const result = await signIn(origin, tenant, email, (samlResponse) => used[step.index].resolve({ tenant, samlResponse })).catch(
            (err: Error) => ({ outcome: 'wrong refusal' as const, detail: err.message }),
          );
          used[step.index].resolve(undefined); // a sign-in that never posted has nothing to replay
          record(kind, email, started, result);
        } else {
          const original = await used[step.of].promise;
          if (original)
            record('replay', `of ${plan.signIns[step.of].email}`, started, await replay(origin, original.tenant, original.samlResponse));
        }
      }
    }),
  );
  const latencyMs = Object.fromEntries(Object.entries(latencies).map(([k, v]) => [k, summary(v)])) as SoakReport['latencyMs'];
  return { counts, problems, latencyMs, seconds: Math.round((performance.now() - began) / 100) / 10 };
}

/** SP-initiated sign-in as a browser does it, then: who does the session say I am? */
async function signIn(origin: string, tenant: SoakTenant, email: string, posted: (samlResponse: string) => void): Promise<Result> {
  const browser = new HttpClient(origin);
  const login = await browser.get(`/saml/${tenant.tenantId}/login`, { redirect: 'manual' });
  if (login.status !== 302) return unexpected(login, 'login');
  const request = new URL(login.headers.get('location')!).searchParams.get('SAMLRequest')!;
  const requestId = /ID="([^"]+)"/.exec(inflateRawSync(Buffer.from(request, 'base64')).toString('utf8'))![1];
  const { samlResponse } = tenant.emulated.issueSamlResponse({
    email,
    inResponseTo: requestId,
    acsUrl: tenant.acsUrl,
    audience: tenant.entityId,
  });
  let res = await postAcs(browser, tenant, samlResponse);
  posted(samlResponse);
  if (res.status === 200) res = await finishPending(browser, res);
  if (res.status !== 303) return unexpected(res, 'ACS');
  const me = await browser.api('GET', '/api/auth/me');
  if (me.status >= 500) return { outcome: '5xx', detail: `/api/auth/me answered ${me.status}` };
  const who = me.body?.user?.email as string | undefined;
  return who?.toLowerCase() === email.toLowerCase()
    ? { outcome: 'signed in' }
    : { outcome: 'wrong user', detail: `the session belongs to ${who ?? 'nobody'}` };
}

/** The same response posted again from another browser: refused, and nobody signed in. */
async function replay(origin: string, tenant: SoakTenant, samlResponse: string): Promise<Result> {
  const browser = new HttpClient(origin);
  const res = await postAcs(browser, tenant, samlResponse);
  if (res.status >= 500) return { outcome: '5xx', detail: `ACS answered ${res.status}` };
  if (res.status === 429) return { outcome: 'rate limited', detail: 'ACS answered 429' };
  const who = (await browser.api('GET', '/api/auth/me')).body?.user?.email;
  if (res.status === 400 && !who) return { outcome: 'replay refused' };
  return { outcome: 'replay accepted', detail: `ACS answered ${res.status}; the session belongs to ${who ?? 'nobody'}` };
}

function postAcs(browser: HttpClient, tenant: SoakTenant, samlResponse: string): Promise<Response> {
  const body = new URLSearchParams({ SAMLResponse: samlResponse, RelayState: '/' });
  return browser.request('POST', `/saml/${tenant.tenantId}/acs`, {
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
}

/** The "finishing your account" page: polls its status URL as its script does, then follows on. */
async function finishPending(browser: HttpClient, page: Response): Promise<Response> {
  const status = /var url="([^"]+)"/.exec(await page.text())?.[1];
  if (!status) return page;
  for (;;) {
    const poll = await browser.request('GET', status, { headers: { accept: 'application/json' }, redirect: 'manual' });
    if (poll.status !== 200) return poll;
    const body = (await poll.json()) as { status: string; next?: string };
    if (body.status === 'done')
      return browser.get(body.next!, { redirect: 'manual' }).then((r) => (r.status < 400 ? new Response(null, { status: 303 }) : r));
    if (body.status !== 'pending') return new Response(JSON.stringify(body), { status: 409 });
  }
}

async function unexpected(res: Response, step: string): Promise<Result> {
  const text = (await res.text().catch(() => ''))
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, 200);
  if (res.status >= 500) return { outcome: '5xx', detail: `${step} answered ${res.status}: ${text}` };
  if (res.status === 429) return { outcome: 'rate limited', detail: `${step} answered 429` };
  return { outcome: 'wrong refusal', detail: `${step} answered ${res.status}: ${text}` };
}

/** The longest history among the workflows a visibility query finds (running ones included). */
export async function longestHistory(temporal: Client, query: string): Promise<{ workflows: number; events: number; workflowId?: string }> {
  let longest = { workflows: 0, events: 0 } as { workflows: number; events: number; workflowId?: string };
  for await (const run of temporal.workflow.list({ query })) {
    const events = run.historyLength || (await temporal.workflow.getHandle(run.workflowId, run.runId).describe()).historyLength;
    longest = {
      workflows: longest.workflows + 1,
      ...(events > longest.events ? { events, workflowId: run.workflowId } : { events: longest.events, workflowId: longest.workflowId }),
    };
  }
  return longest;
}

function summary(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round(s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? 0);
  return { p50: at(0.5), p95: at(0.95), max: Math.round(s.at(-1) ?? 0) };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A small seeded generator, so a run's interleaving can be repeated. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
