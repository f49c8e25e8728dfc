/**
 * Workflow unit tests of the SSO connection: stubbed activities over a certificate set the
 * test controls (what Entra publishes, as the refresh activity would merge it), the start,
 * and reading its state and health.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Client, WorkflowHandle } from '@temporalio/client';
import {
  connectionStateQuery,
  connectionWorkflowId,
  ConnectionHealthKey,
  type ConnectionState,
  type SsoConnectionWorkflow,
  type TrustedCertificate,
} from '../../lib/contracts/connection';
import { stubActivities, type Stubs } from './stub-activities';

export const DAY = 24 * 3600 * 1000;
export const STAFF = 'sam@entrada.test';

/** `now` is the workflow's time: on the time-skipping server it runs ahead of the test's clock. */
export const certificate = (thumbprint: string, validForMs: number, now: number): TrustedCertificate => ({
  thumbprint,
  notBefore: new Date(now - DAY).toISOString(),
  notAfter: new Date(now + validForMs).toISOString(),
});

/**
 * A tenancy's trusted set as the real activities keep it: `publish` changes what the metadata
 * says, and the next refresh stages what is new and marks what is gone (kept until expiry).
 */
export function connectionSteps(initial: TrustedCertificate[], overrides: Stubs = {}) {
  let trusted = [...initial];
  let published = [...initial];
  const stub = stubActivities({
    readConnection: () => ({ orgName: 'Contoso', certificates: trusted, refreshIntervalMs: DAY }),
    refreshConnectionMetadata: () => {
      const now = new Date().toISOString();
      const staged = published.filter((p) => !trusted.some((t) => t.thumbprint === p.thumbprint));
      const unpublished = trusted
        .filter((t) => !t.unpublishedAt && !published.some((p) => p.thumbprint === t.thumbprint))
        .map((t) => t.thumbprint);
      trusted = [
        ...trusted.map((t) => (unpublished.includes(t.thumbprint) ? { ...t, unpublishedAt: now } : t)),
        ...staged.map((s) => ({ ...s, stagedAt: now })),
      ];
      return { certificates: trusted, staged: staged.map((s) => s.thumbprint), unpublished, dropped: [] };
    },
    markCertificateProven: ({ thumbprint, at }) =>
      (trusted = trusted.map((t) => (t.thumbprint === thumbprint ? { ...t, provenAt: at } : t))),
    retireCertificate: ({ thumbprint }) => (trusted = trusted.filter((t) => t.thumbprint !== thumbprint)),
    sendCertificateExpiryWarning: () => ({ sent: true }),
    sendConnectionAlert: () => ({ sent: true }),
    auditConnection: ({ action }) => `a-${action}`,
    ...overrides,
  });
  return {
    ...stub,
    /** What Entra's metadata lists from now on. */
    publish(certs: TrustedCertificate[]) {
      published = [...certs];
    },
  };
}

export type Connection = WorkflowHandle<SsoConnectionWorkflow>;

export async function startConnection(client: Client, taskQueue: string, tenantId = randomUUID()): Promise<Connection> {
  return client.workflow.start<SsoConnectionWorkflow>('ssoConnection', {
    taskQueue,
    workflowId: connectionWorkflowId(tenantId),
    args: [{ tenantId }],
  });
}

/** The state; the workflow answers null until it has read the tenancy. */
export async function connectionState(handle: Connection): Promise<ConnectionState> {
  const state = await handle.query(connectionStateQuery);
  if (!state) throw new Error('the connection has not read its tenancy yet');
  return state;
}

export async function connectionWhen(handle: Connection, check: (s: ConnectionState) => boolean): Promise<ConnectionState> {
  let last: ConnectionState | undefined;
  await expect
    .poll(async () => check((last = await connectionState(handle))), { timeout: 15_000, interval: 20 })
    .toBe(true)
    .catch((err: Error) => {
      throw new Error(`${err.message}\nlast state: ${JSON.stringify(last, null, 1)}`);
    });
  return last!;
}

export const healthAttribute = async (handle: Connection) => (await handle.describe()).typedSearchAttributes.get(ConnectionHealthKey);
/** The search attribute follows the state at the end of the workflow's step: wait for it. */
export const healthAttributeBecomes = (handle: Connection, health: string) =>
  expect.poll(() => healthAttribute(handle), { timeout: 15_000, interval: 20 }).toBe(health);
