/**
 * The staff console's read side: the tenant list (Temporal visibility joined with Tenant
 * records), one tenant's full onboarding state (workflow query) and its test report.
 */
import {
  WorkflowNotFoundError,
  type Client,
  type WorkflowExecutionDescription,
  type WorkflowExecutionInfo,
  type WorkflowHandle,
} from '@temporalio/client';
import type { Config } from '../config';
import { notFound } from '../errors';
import { findEach } from '../find-each';
import { AuditEventModel, TenantModel, type Tenant } from '../models';
import { acsUrl, sloUrl, spEntityId, spMetadataUrl } from '../saml/sp-urls';
import { TEST_ITEM_LABELS } from '../contracts/onboarding-checklist';
import { onboardingStateQuery } from '../contracts/onboarding-messages';
import { WAITING_FOR, type OnboardingState } from '../contracts/onboarding-state';
import { tenantIdProblem } from '../contracts/onboarding-input';
import { OnboardingStageKey, onboardingWorkflowId, type OnboardingStage } from '../contracts/shared';
import { listAuditEvents, type SerializedAuditEvent } from '../audit-search';
import type { OnboardingDeps } from './deps';
import { connectionDetail, type ConnectionDetail } from '../connection/staff';
import { checklistProgress, consentStatus, type ChecklistProgress, type ConsentStatus } from './tenant-progress';

export interface TenantRow {
  tenantId: string;
  name: string;
  stage: OnboardingStage;
  waitingFor: string;
  startedAt?: string;
  stageSince?: string;
  workflowStatus?: string;
  temporalUrl?: string;
  consent: ConsentStatus;
  /** Only while testing (a running onboarding whose state could be read). */
  checklist?: ChecklistProgress;
}

export function temporalUiUrl(config: Pick<Config, 'TEMPORAL_UI_URL'>, client: Client, workflowId: string, runId?: string): string {
  const base = `${config.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(client.options.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}/history` : base;
}

const LIST_LIMIT = 500;

export async function listTenants({ config, temporal }: OnboardingDeps): Promise<TenantRow[]> {
  const latest = new Map<string, WorkflowExecutionInfo>();
  let seen = 0;
  // Newest runs first: a restarted onboarding hides its cancelled predecessor.
  for await (const wf of temporal.workflow.list({ query: 'WorkflowType="tenantOnboarding"' })) {
    if (!latest.has(wf.workflowId)) latest.set(wf.workflowId, wf);
    if (++seen >= LIST_LIMIT) break;
  }
  const tenants = await TenantModel.find({}).sort({ createdAt: -1 }).limit(LIST_LIMIT).lean();
  const rows = tenants.map((t): TenantRow => {
    const wf = latest.get(onboardingWorkflowId(t.tenantId));
    latest.delete(onboardingWorkflowId(t.tenantId));
    return row(config, temporal, t, wf);
  });
  // Workflows whose first activity has not written the Tenant yet.
  for (const wf of latest.values()) rows.unshift(row(config, temporal, undefined, wf));
  const progress = await checklistProgress(temporal, rows);
  return rows.map((r) => ({ ...r, checklist: progress.get(r.tenantId) }));
}

function row(config: Config, temporal: Client, t: Tenant | undefined, wf: WorkflowExecutionInfo | undefined): TenantRow {
  const stage = (wf?.typedSearchAttributes.get(OnboardingStageKey) as OnboardingStage | undefined) ?? t?.stage ?? 'requested';
  return {
    tenantId: t?.tenantId ?? wf!.workflowId.replace(/^onboard-/, ''),
    name: t?.name ?? '(not recorded yet)',
    stage,
    waitingFor: WAITING_FOR[stage],
    startedAt: wf?.startTime.toISOString(),
    stageSince: t?.stageChangedAt?.toISOString(),
    workflowStatus: wf?.status.name,
    temporalUrl: wf ? temporalUiUrl(config, temporal, wf.workflowId, wf.runId) : undefined,
    consent: consentStatus(t, stage),
  };
}

export interface TenantDetail {
  tenantId: string;
  tenant: Tenant | null;
  state?: OnboardingState;
  /** Why the live state could not be read (no workflow, worker down...). */
  stateError?: string;
  workflowStatus?: string;
  temporalUrl: string;
  sp: { entityId: string; acsUrl: string; sloUrl: string; metadataUrl: string };
  events: SerializedAuditEvent[];
  /** The SSO connection after go-live (workflows/sso-connection.ts), once the tenant is live. */
  connection?: ConnectionDetail & { temporalUrl: string };
}

export async function tenantDetail({ config, temporal }: OnboardingDeps, rawTenantId: string): Promise<TenantDetail> {
  if (tenantIdProblem(rawTenantId)) throw notFound(`No tenant ${rawTenantId}.`);
  const tenantId = rawTenantId.toLowerCase();
  const handle = temporal.workflow.getHandle(onboardingWorkflowId(tenantId));
  const [tenant, { description, unreadable }, events] = await Promise.all([
    TenantModel.findOne({ tenantId }).lean(),
    describeWorkflow(handle),
    listAuditEvents({ tenant: tenantId, limit: 30 }),
  ]);
  if (!tenant && !description) {
    // Without the record, only Temporal could say whether this tenant exists.
    if (unreadable) throw unreadable;
    throw notFound(`No onboarding for tenant ${tenantId}.`);
  }
  const unreadableState = (err: unknown) =>
    `The workflow state could not be read (${whyUnreadable(err)}); showing the stored tenant record.`;
  let state: OnboardingState | undefined;
  let stateError: string | undefined;
  if (description) {
    state = await handle.query(onboardingStateQuery).catch((err: unknown) => {
      stateError = unreadableState(err);
      return undefined;
    });
  } else stateError = unreadable ? unreadableState(unreadable) : 'This tenant has no onboarding workflow.';
  const connection = tenant?.stage === 'live' ? await connectionDetail(temporal, tenantId) : undefined;
  return {
    tenantId,
    tenant,
    state,
    stateError,
    ...(connection ? { connection: { ...connection, temporalUrl: temporalUiUrl(config, temporal, connection.workflowId) } } : {}),
    workflowStatus: description?.status.name,
    temporalUrl: temporalUiUrl(config, temporal, onboardingWorkflowId(tenantId), description?.runId),
    sp: {
      entityId: spEntityId(config, tenantId),
      acsUrl: acsUrl(config, tenantId),
      sloUrl: sloUrl(config, tenantId),
      metadataUrl: spMetadataUrl(config, tenantId),
    },
    events: events.events,
  };
}

/** The client's message, and the gRPC status behind it when there is one ("Failed to describe workflow: 14 UNAVAILABLE: ..."). */
const whyUnreadable = (err: unknown) =>
  [err, (err as Error).cause]
    .filter((e): e is Error => e instanceof Error)
    .map((e) => e.message)
    .join(': ');

/** The workflow's description; none when Temporal says there is no such workflow, and any other failure as `unreadable`. */
async function describeWorkflow(handle: WorkflowHandle): Promise<{ description?: WorkflowExecutionDescription; unreadable?: unknown }> {
  try {
    return { description: await handle.describe() };
  } catch (err) {
    return err instanceof WorkflowNotFoundError ? {} : { unreadable: err };
  }
}

/** The evidence behind go-live, with the audit events it cites resolved. */
export async function testReport(deps: OnboardingDeps, tenantId: string) {
  const detail = await tenantDetail(deps, tenantId);
  if (!detail.state) throw notFound(detail.stateError ?? `No onboarding state for tenant ${tenantId}.`);
  const { state } = detail;
  const cited = state.checklist.flatMap((e) => e.evidence.flatMap((ev) => ev.auditEventIds));
  const audit = await findEach(
    AuditEventModel,
    '_id',
    cited.filter((id) => /^[0-9a-f]{24}$/.test(id)),
  );
  return {
    tenantId: detail.tenantId,
    orgName: state.input.orgName,
    stage: state.stage,
    generatedAt: new Date().toISOString(),
    saml: state.saml ?? null,
    domains: state.domains,
    goLive: state.goLive ?? null,
    checklist: state.checklist.map((e) => ({ ...e, label: TEST_ITEM_LABELS[e.item], ticked: e.evidence.length > 0 })),
    auditEvents: audit.map((a) => ({
      id: String(a._id),
      at: a.at.toISOString(),
      action: a.action,
      outcome: a.outcome,
      actor: a.actor,
      details: a.details,
    })),
  };
}
export type TestReport = Awaited<ReturnType<typeof testReport>>;
