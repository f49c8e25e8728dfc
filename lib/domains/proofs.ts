/**
 * Domain proofs, the use cases: propose (a token and the `domainProof` workflow), check now,
 * override (staff, with a reason) and list. Staff act here today; the tenancy admin portal
 * calls the same functions for its own tenancy.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowUpdateFailedError } from '@temporalio/client';
import { audit } from '../audit';
import { badRequest, conflict, notFound } from '../errors';
import { DomainProofModel, SsoDomainModel, TenantModel, type DomainProof } from '../models';
import { domainProblem, normalizeDomain } from '../contracts/onboarding-input';
import {
  checkDomainNowSignal,
  domainProofWorkflowId,
  overrideDomainProofUpdate,
  proofRecord,
  type DomainProofInput,
  type DomainProofWorkflow,
  type DomainProofStatus,
} from '../contracts/domain-proof';
import { EntraTenantIdKey } from '../contracts/shared';
import type { OnboardingDeps } from '../onboarding/deps';
import { verifiedOwner } from './verified-domains';

type Actor = { kind: 'staff' | 'user'; email: string; userId?: string };

/** The proof as a page or the API shows it: what to publish, and where it stands. */
export const proofView = (p: DomainProof) => ({
  domain: p.domain,
  status: p.status,
  record: { name: p.domain, type: 'TXT', value: proofRecord(p.token) },
  expiresAt: p.expiresAt.toISOString(),
  checks: p.checks ?? 0,
  lastCheck: p.lastCheck?.at
    ? { at: p.lastCheck.at.toISOString(), outcome: p.lastCheck.outcome, detail: p.lastCheck.detail, ms: p.lastCheck.ms }
    : null,
  verifiedAt: p.verifiedAt?.toISOString() ?? null,
  override: p.override?.by ? { by: p.override.by, reason: p.override.reason, at: p.override.at?.toISOString() } : null,
  refusal: p.refusal ?? null,
});
export type ProofView = ReturnType<typeof proofView>;

export async function listProofs(tenantId: string): Promise<ProofView[]> {
  return (await DomainProofModel.find({ tenantId: tenantId.toLowerCase() }).sort({ domain: 1 }).limit(200).lean()).map(proofView);
}

export async function proposeDomain(deps: OnboardingDeps, rawTenantId: string, rawDomain: unknown, actor: Actor): Promise<ProofView> {
  const problem = domainProblem(rawDomain);
  if (problem) throw badRequest(problem);
  const domain = normalizeDomain(String(rawDomain));
  const tenantId = rawTenantId.toLowerCase();
  if (!(await TenantModel.exists({ tenantId }))) throw notFound(`No tenant ${tenantId}.`);
  const owner = await verifiedOwner(domain);
  const claimed = await SsoDomainModel.findOne({ domain, tenantId: { $ne: tenantId } }).lean();
  if ((owner && owner !== tenantId) || claimed) throw conflict(`${domain} is already proven or claimed by another tenancy.`);

  const expiresAt = new Date(Date.now() + deps.config.DOMAIN_PROOF_EXPIRY);
  // A pending or settled proof is kept as it is; an expired one starts again with the same token.
  await DomainProofModel.updateOne(
    { tenantId, domain },
    { $setOnInsert: { token: randomBytes(18).toString('base64url'), proposedBy: actor.email, status: 'pending', expiresAt } },
    { upsert: true },
  );
  await DomainProofModel.updateOne({ tenantId, domain, status: 'expired' }, { $set: { status: 'pending', expiresAt } });
  const proof = (await DomainProofModel.findOne({ tenantId, domain }).lean())!;
  if (proof.status === 'pending') {
    const input: DomainProofInput = {
      tenantId,
      domain,
      recheckMs: deps.config.DOMAIN_RECHECK_INTERVAL,
      expiresAt: proof.expiresAt.toISOString(),
    };
    await deps.temporal.workflow.start<DomainProofWorkflow>('domainProof', {
      workflowId: domainProofWorkflowId(tenantId, domain),
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [{ key: EntraTenantIdKey, value: tenantId }],
      staticSummary: `Domain proof: ${domain} for ${tenantId}`,
    });
  }
  await audit({ action: 'domain.proof-proposed', outcome: 'success', actor, tenantId, target: { type: 'domain', id: domain } });
  return proofView(proof);
}

export async function checkDomainNow(deps: OnboardingDeps, tenantId: string, domain: string, actor: Actor): Promise<void> {
  const proof = await DomainProofModel.findOne({ tenantId: tenantId.toLowerCase(), domain: domain.toLowerCase() }).lean();
  if (!proof) throw notFound(`No proof for ${domain}.`);
  if (proof.status !== 'pending') throw conflict(`The proof of ${domain} is already ${proof.status}.`);
  await deps.temporal.workflow.getHandle(domainProofWorkflowId(tenantId, domain)).signal(checkDomainNowSignal);
  await audit({
    action: 'domain.proof-check-requested',
    outcome: 'success',
    actor,
    tenantId: proof.tenantId,
    target: { type: 'domain', id: proof.domain },
  });
}

export async function overrideDomainProof(
  deps: OnboardingDeps,
  tenantId: string,
  domain: string,
  by: string,
  reason: unknown,
): Promise<DomainProofStatus> {
  if (typeof reason !== 'string' || reason.trim().length < 10) throw badRequest('An override needs a reason of at least 10 characters.');
  const proof = await DomainProofModel.findOne({ tenantId: tenantId.toLowerCase(), domain: domain.toLowerCase() }).lean();
  if (!proof) throw notFound(`No proof for ${domain}.`);
  if (proof.status !== 'pending') throw conflict(`The proof of ${domain} is already ${proof.status}; propose it again first.`);
  try {
    return await deps.temporal.workflow
      .getHandle(domainProofWorkflowId(tenantId, domain))
      .executeUpdate(overrideDomainProofUpdate, { args: [{ by, reason: reason.trim() }] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw conflict(`Override refused: ${(err.cause as Error)?.message ?? err.message}.`);
    throw err;
  }
}
