/**
 * Migration campaigns, the use cases: start one for a nominated domain of a tenancy, act on it
 * (pause, resume, extend, roll back: Updates to its workflow), and read it. Each action is audited.
 */
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowUpdateFailedError } from '@temporalio/client';
import ms from 'ms';
import { audit } from '../audit';
import { badRequest, conflict, notFound } from '../errors';
import { MigrationCampaignModel, TenantModel } from '../models';
import { normalizeDomain } from '../contracts/onboarding-input';
import {
  campaignStateQuery,
  campaignWorkflowId,
  extendCampaignUpdate,
  pauseCampaignUpdate,
  resumeCampaignUpdate,
  rollbackCampaignUpdate,
  type CampaignState,
  type CampaignWorkflow,
} from '../contracts/migration-campaign';
import { EntraTenantIdKey } from '../contracts/shared';
import type { OnboardingDeps } from '../onboarding/deps';

const MAX_ROUNDS = 10;

/** Who acts on a campaign: staff in the console, or the tenancy's admin (or staff) in the portal. */
export type CampaignActor = { kind: 'staff' | 'user'; email: string; userId?: string };

/** One offset: a bare number is days ("21"), else a duration ("12h", "30s"). */
const offsetMs = (p: string) => (/^\d+$/.test(p) ? Number(p) * 86_400_000 : ms(p as ms.StringValue));

/** "0, 7d, 14d" (a bare number is days) → offsets in ms. */
export function parseSchedule(value: unknown): number[] {
  const parts = String(value ?? '0, 7d, 14d')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const offsets = parts.map(offsetMs);
  if (!offsets.length || offsets.length > MAX_ROUNDS || offsets.some((o) => typeof o !== 'number' || !Number.isFinite(o) || o < 0))
    throw badRequest(`The schedule is a list of up to ${MAX_ROUNDS} offsets such as "0, 7d, 14d".`);
  return [...offsets].sort((a, b) => a - b);
}

/**
 * The deadline: a date (`deadline`), or an offset from now in the schedule's terms (`deadlineIn`,
 * e.g. "21" days), after the last round either way.
 */
function parseDeadline(body: { deadline?: unknown; deadlineIn?: unknown }, lastRoundMs: number): Date | undefined {
  const after = String(body.deadlineIn ?? '').trim();
  const at = after ? Date.now() + offsetMs(after) : body.deadline ? Date.parse(String(body.deadline)) : undefined;
  if (at === undefined) return undefined;
  if (!Number.isFinite(at) || at <= Date.now() + lastRoundMs) throw badRequest('The deadline must be after the last round of nudges.');
  return new Date(at);
}

export async function startCampaign(
  deps: OnboardingDeps,
  rawTenantId: string,
  body: { domain?: unknown; schedule?: unknown; deadline?: unknown; deadlineIn?: unknown },
  actor: CampaignActor,
): Promise<CampaignState> {
  const tenantId = rawTenantId.toLowerCase();
  const domain = normalizeDomain(String(body.domain ?? ''));
  const tenant = await TenantModel.findOne({ tenantId }, { domains: 1 }).lean();
  if (!tenant) throw notFound(`No tenant ${tenantId}.`);
  if (!tenant.domains.includes(domain)) throw badRequest(`${domain || 'That'} is not a nominated domain of this tenancy.`);
  const roundOffsetsMs = parseSchedule(body.schedule);
  const deadline = parseDeadline(body, roundOffsetsMs.at(-1)!);
  const handle = await deps.temporal.workflow.start<CampaignWorkflow>('migrationCampaign', {
    workflowId: campaignWorkflowId(tenantId, domain),
    taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
    args: [
      {
        tenantId,
        domain,
        roundOffsetsMs,
        deadline: deadline?.toISOString(),
        progressEveryMs: deps.config.CAMPAIGN_PROGRESS_INTERVAL,
        startedBy: actor.email,
      },
    ],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [{ key: EntraTenantIdKey, value: tenantId }],
    staticSummary: `Migration campaign: ${domain} (${tenantId})`,
  });
  await audit({
    action: 'campaign.started',
    outcome: 'success',
    actor,
    tenantId,
    target: { type: 'domain', id: domain },
    details: { rounds: roundOffsetsMs.map((o) => ms(o || 0)), deadline: deadline?.toISOString() },
  });
  return handle.query(campaignStateQuery);
}

const ACTIONS = {
  pause: (by: string) => [pauseCampaignUpdate, { by }] as const,
  resume: (by: string) => [resumeCampaignUpdate, { by }] as const,
  extend: (by: string, body: Record<string, unknown>) =>
    [extendCampaignUpdate, { by, deadline: new Date(String(body.deadline)).toISOString() }] as const,
  rollback: (by: string, body: Record<string, unknown>) => [rollbackCampaignUpdate, { by, reason: String(body.reason ?? '') }] as const,
};

export async function campaignAction(
  deps: OnboardingDeps,
  tenantId: string,
  domain: string,
  action: string,
  body: Record<string, unknown>,
  actor: CampaignActor,
): Promise<CampaignState> {
  if (!Object.hasOwn(ACTIONS, action)) throw notFound(`No campaign action ${action}.`);
  if (action === 'extend' && Number.isNaN(Date.parse(String(body.deadline)))) throw badRequest('The new deadline is not a date.');
  const [update, args] = ACTIONS[action as keyof typeof ACTIONS](actor.email, body);
  const handle = deps.temporal.workflow.getHandle(campaignWorkflowId(tenantId, domain));
  let state: CampaignState;
  try {
    state = await handle.executeUpdate(update as typeof pauseCampaignUpdate, { args: [args as never] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError)
      throw conflict(`Campaign ${action} refused: ${(err.cause as Error)?.message ?? err.message}.`);
    throw err;
  }
  await audit({
    action: `campaign.${action}`,
    outcome: 'success',
    actor,
    tenantId,
    target: { type: 'domain', id: domain },
    details: { ...args, by: undefined },
  });
  return state;
}

/** The tenancy's campaigns as last recorded (progress, status, deadline). */
export async function listCampaigns(tenantId: string) {
  return MigrationCampaignModel.find({ tenantId: tenantId.toLowerCase() }).sort({ domain: 1 }).limit(100).lean();
}
