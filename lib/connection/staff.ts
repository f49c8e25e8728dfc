/**
 * The staff console's side of a tenancy's SSO connection: its state and health (the workflow's
 * query, the ConnectionHealth search attribute) and the staff actions, each one Update.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { fromFailure } from '../contracts/refusal';
import { notFound } from '../errors';
import { tenantIdProblem } from '../contracts/onboarding-input';
import type { StaffAction } from '../contracts/onboarding-state';
import * as c from '../contracts/connection';

export interface ConnectionDetail {
  workflowId: string;
  /** RUNNING, TERMINATED...; undefined when there is no connection workflow. */
  status?: string;
  health?: c.ConnectionHealth;
  state?: c.ConnectionState;
  /** Why the state could not be read. */
  error?: string;
}

export async function connectionDetail(temporal: Client, tenantId: string): Promise<ConnectionDetail> {
  const workflowId = c.connectionWorkflowId(tenantId);
  const handle = temporal.workflow.getHandle<c.SsoConnectionWorkflow>(workflowId);
  try {
    const description = await handle.describe();
    const health = description.typedSearchAttributes.get(c.ConnectionHealthKey) as c.ConnectionHealth | undefined;
    const state = description.status.name === 'RUNNING' ? ((await handle.query(c.connectionStateQuery)) ?? undefined) : undefined;
    return { workflowId, status: description.status.name, health, state };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { workflowId };
    return { workflowId, error: err instanceof Error ? err.message : String(err) };
  }
}

type Body = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

interface ActionSpec {
  update: UpdateDefinition<unknown, [StaffAction]>;
  args: (body: Body) => Record<string, unknown>;
  notice: string;
}

export const CONNECTION_ACTIONS: Record<string, ActionSpec> = {
  pause: {
    update: c.pauseConnectionUpdate,
    args: (b) => ({ reason: str(b.reason) }),
    notice: 'The SSO connection is paused: no automatic metadata refreshes until it is resumed.',
  },
  resume: { update: c.resumeConnectionUpdate, args: () => ({}), notice: 'The SSO connection is resumed and its metadata was refreshed.' },
  refresh: {
    update: c.refreshConnectionUpdate,
    args: () => ({}),
    notice: 'Metadata refresh done: see the connection card for its outcome.',
  },
  settings: {
    update: c.updateSettingsUpdate,
    args: (b) => ({ settings: b.settings, reason: str(b.reason) }),
    notice: 'The connection settings are changed; the previous ones are kept for rollback.',
  },
  'roll-back-settings': {
    update: c.rollBackSettingsUpdate,
    args: (b) => ({ reason: str(b.reason) }),
    notice: 'The connection settings are rolled back to the previous ones.',
  },
  retire: {
    update: c.retireCertificateUpdate,
    args: (b) => ({ thumbprint: str(b.thumbprint), reason: str(b.reason) }),
    notice: 'The certificate is retired: it is no longer trusted.',
  },
};

export async function runConnectionAction(
  temporal: Client,
  tenantId: string,
  action: string,
  body: Body,
  staffEmail: string,
): Promise<{ message: string; result: c.ConnectionState }> {
  const spec = Object.hasOwn(CONNECTION_ACTIONS, action) ? CONNECTION_ACTIONS[action] : undefined;
  if (!spec) throw notFound(`Unknown connection action "${action}".`);
  if (tenantIdProblem(tenantId)) throw notFound(`No SSO connection for tenant ${tenantId}.`);
  const handle = temporal.workflow.getHandle(c.connectionWorkflowId(tenantId.toLowerCase()));
  try {
    const result = await handle.executeUpdate(spec.update, { args: [{ ...spec.args(body ?? {}), staffEmail }] });
    return { message: spec.notice, result: result as c.ConnectionState };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) throw fromFailure(err.cause);
    if (err instanceof WorkflowNotFoundError) throw notFound(`No running SSO connection for tenant ${tenantId}.`);
    throw err;
  }
}
