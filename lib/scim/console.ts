/**
 * The consoles' read side of provisioning: per tenancy its secrets, settings, counts,
 * deprovisionings (Temporal visibility: the saga's stage is its EntradaStatus search
 * attribute) and the latest reconciliation report.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import { notFound } from '../errors';
import { ReconciliationReportModel, ScimTokenModel, ScimUserModel, TenantModel } from '../models';
import { deprovisioningStateQuery, type DeprovisioningState } from '../contracts/deprovisioning';
import { EntradaStatusKey, EntradaUserIdKey } from '../contracts/shared';
import { temporalUiUrl } from '../onboarding/tenants';
import { provisioningSettings, type EffectiveSettings } from './settings';
import { listScimTokens, type ScimTokenRow } from './tokens';

export interface DeprovisioningRow {
  userId: string;
  workflowId: string;
  stage: string;
  running: boolean;
  startedAt: string;
  temporalUrl: string;
}

export interface ProvisioningOverview {
  tenantId: string;
  name: string;
  scimUrl: string;
  settings: EffectiveSettings;
  tokens: ScimTokenRow[];
  counts: { users: number; inactive: number; inQuarantine: number };
  deprovisionings: DeprovisioningRow[];
  report: unknown;
}

const LIST_LIMIT = 200;

export async function provisioningOverview(deps: { config: Config; temporal: Client }, tenantId: string): Promise<ProvisioningOverview> {
  const tid = tenantId.toLowerCase();
  const tenant = await TenantModel.findOne({ tenantId: tid }, { name: 1 }).lean();
  if (!tenant) throw notFound(`No tenancy ${tenantId}.`);
  const live = { tenantId: tid, purgedAt: null };
  const [settings, tokens, users, inactive, inQuarantine, report, deprovisionings] = await Promise.all([
    provisioningSettings(deps.config, tid),
    listScimTokens(tid),
    ScimUserModel.countDocuments({ ...live, deletedAt: null }),
    ScimUserModel.countDocuments({ ...live, deletedAt: null, active: false }),
    ScimUserModel.countDocuments({ ...live, deletedAt: { $ne: null } }),
    ReconciliationReportModel.findById(tid).lean(),
    listDeprovisionings(deps, `EntraTenantId = "${tid}"`),
  ]);
  return {
    tenantId: tid,
    name: tenant.name,
    scimUrl: `${deps.config.PUBLIC_BASE_URL}/scim/v2/${tid}`,
    settings,
    tokens,
    counts: { users, inactive, inQuarantine },
    deprovisionings,
    report,
  };
}

export async function listDeprovisionings(deps: { config: Config; temporal: Client }, filter: string): Promise<DeprovisioningRow[]> {
  const rows: DeprovisioningRow[] = [];
  for await (const wf of deps.temporal.workflow.list({ query: `WorkflowType = "deprovisionUser" AND ${filter}` })) {
    rows.push({
      userId: String(wf.typedSearchAttributes.get(EntradaUserIdKey) ?? wf.workflowId.replace(/^deprovision-/, '')),
      workflowId: wf.workflowId,
      stage: String(wf.typedSearchAttributes.get(EntradaStatusKey) ?? 'suspending'),
      running: wf.status.name === 'RUNNING',
      startedAt: wf.startTime.toISOString(),
      temporalUrl: temporalUiUrl(deps.config, deps.temporal, wf.workflowId, wf.runId),
    });
    if (rows.length >= LIST_LIMIT) break;
  }
  return rows;
}

/** Tenancies that have (or had) a SCIM secret, for the console's list. */
export async function provisioningTenancies(): Promise<{ tenantId: string; name: string; validTokens: number }[]> {
  const tenantIds = (await ScimTokenModel.distinct('tenantId')) as string[];
  const now = new Date();
  return Promise.all(
    tenantIds.sort().map(async (tenantId) => ({
      tenantId,
      name: (await TenantModel.findOne({ tenantId }, { name: 1 }).lean())?.name ?? tenantId,
      validTokens: await ScimTokenModel.countDocuments({
        tenantId,
        revokedAt: null,
        $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }],
      }),
    })),
  );
}

export async function deprovisioningState(client: Client, userId: string): Promise<DeprovisioningState> {
  return client.workflow.getHandle(`deprovision-${userId}`).query(deprovisioningStateQuery);
}
