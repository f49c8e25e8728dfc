/**
 * Starting an onboarding. A second start for a tenant whose onboarding is running is refused
 * (WorkflowIdConflictPolicy FAIL) with a pointer to the running one: attaching silently would
 * drop the new form's admins and domains. A cancelled onboarding may be started again
 * (reuse policy ALLOW_DUPLICATE); a live tenant may not (checked here, and atomically by the
 * workflow's first activity).
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { audit } from '../audit';
import type { ConnectionTemplate } from '../idp/from-metadata';
import { oktaTemplate } from '../idp/presets';
import { connectionSettingsSchema } from '../idp/settings';
import type { Config } from '../config';
import { badRequest, conflict } from '../errors';
import { SsoDomainModel, TenantModel } from '../models';
import {
  appIdProblem,
  domainProblem,
  emailProblem,
  normalizeDomain,
  orgNameProblem,
  problems,
  tenantIdProblem,
} from '../contracts/onboarding-input';
import type { OnboardingInput, TenantOnboardingWorkflow } from '../contracts/onboarding-state';
import { EntraTenantIdKey, OnboardingStageKey, onboardingWorkflowId } from '../contracts/shared';
import type { OnboardingDeps } from './deps';

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,;]+/)).map((s) => s.trim()).filter(Boolean);

type StartFields = Pick<OnboardingInput, 'tenantId' | 'orgName' | 'adminEmails' | 'proposedDomains' | 'appId' | 'connection'>;

/**
 * `kind` okta or saml starts a non-Entra onboarding: the tenancy gets a fresh organisation ID
 * (a GUID, so URLs and workflow IDs look as for Entra), Okta's preset or the generic
 * `connection` choices (signing, NameID format, claim mapping) are fixed now, and the metadata
 * exchange replaces admin consent.
 */
export function parseStartInput(body: Record<string, unknown>): StartFields {
  const kind = body.kind ?? 'entra';
  if (kind === 'entra') return parseEntraStartInput(body);
  if (kind !== 'okta' && kind !== 'saml') throw badRequest(`kind must be entra, okta or saml, got "${String(kind)}"`, { field: 'kind' });
  const connection =
    kind === 'okta' ? oktaTemplate(body.nameId === 'persistent' ? 'persistent' : 'email') : genericTemplate(body.connection);
  const tenantId = randomUUID();
  return { ...parseEntraStartInput({ ...body, tenantId, appId: undefined }), connection };
}

function genericTemplate(value: unknown): ConnectionTemplate {
  const parsed = connectionSettingsSchema.pick({ signing: true, nameIdFormat: true, claims: true }).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = ['connection', ...issue.path].join('.');
    throw badRequest(`${field}: ${issue.message}`, { field });
  }
  return { kind: 'saml', ...parsed.data };
}

/** Every problem at once, so the form can show them together. */
function parseEntraStartInput(body: Record<string, unknown>): StartFields {
  const adminEmails = [...new Set(list(body.adminEmails).map((e) => e.toLowerCase()))];
  const proposedDomains = [...new Set(list(body.proposedDomains).map(normalizeDomain))];
  const appId = typeof body.appId === 'string' && body.appId.trim() ? body.appId.trim().toLowerCase() : undefined;
  const found = problems([
    tenantIdProblem(body.tenantId),
    orgNameProblem(body.orgName),
    adminEmails.length === 0
      ? 'At least one admin contact email is required'
      : adminEmails.length > 10
        ? 'At most 10 admin contacts'
        : undefined,
    ...adminEmails.map(emailProblem),
    proposedDomains.length > 20 ? 'At most 20 proposed domains' : undefined,
    ...proposedDomains.map(domainProblem),
    appIdProblem(appId),
  ]);
  if (found.length) throw badRequest(found.join('. '), { problems: found });
  return {
    tenantId: String(body.tenantId).trim().toLowerCase(),
    orgName: String(body.orgName).trim(),
    adminEmails,
    proposedDomains,
    ...(appId ? { appId } : {}),
  };
}

export const timing = (config: Config) => ({
  consentReminderIntervalMs: config.CONSENT_REMINDER_INTERVAL,
  consentExpiryMs: config.CONSENT_EXPIRY,
});

export async function startOnboarding(
  deps: OnboardingDeps,
  body: Record<string, unknown>,
  staff: { email: string; id?: string },
): Promise<{ tenantId: string; workflowId: string }> {
  const fields = parseStartInput(body);
  const { tenantId } = fields;
  if (await TenantModel.exists({ tenantId, stage: 'live' })) throw conflict(`Tenant ${tenantId} is already live.`);
  const taken = await SsoDomainModel.find({ domain: { $in: fields.proposedDomains }, tenantId: { $ne: tenantId } }).lean();
  if (taken.length) throw badRequest(`Already claimed by another tenant: ${taken.map((d) => d.domain).join(', ')}.`);

  const workflowId = onboardingWorkflowId(tenantId);
  const input: OnboardingInput = { ...fields, requestedBy: staff.email, ...timing(deps.config) };
  try {
    await deps.temporal.workflow.start<TenantOnboardingWorkflow>('tenantOnboarding', {
      workflowId,
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [
        { key: EntraTenantIdKey, value: tenantId },
        { key: OnboardingStageKey, value: 'requested' },
      ],
      staticSummary: `Onboarding ${fields.orgName} (${tenantId})`,
      staticDetails: `Requested by ${staff.email}. Admins: ${fields.adminEmails.join(', ')}. Proposed SSO domains: ${fields.proposedDomains.join(', ') || 'none'}.`,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw conflict(`An onboarding for tenant ${tenantId} is already running: open /staff/tenants/${tenantId} to continue it.`, {
        tenantId,
      });
    }
    throw err;
  }
  await audit({
    action: 'onboarding.start',
    outcome: 'success',
    actor: { kind: 'staff', email: staff.email, userId: staff.id },
    target: { type: 'tenant', id: tenantId },
    tenantId,
    details: { workflowId },
  });
  return { tenantId, workflowId };
}
