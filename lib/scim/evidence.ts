/**
 * The onboarding checklist's optional "provisioning" item: ticked by real events, once both
 * happened while the tenancy is being tested: a user SCIM created signed in by SSO, and a user
 * SCIM deleted was purged after the quarantine window. Each half is an audit event; the
 * evidence cites both. Best effort, like all checklist evidence: never fails a sign-in.
 */
import type { Client } from '@temporalio/client';
import { audit } from '../audit';
import { claimOnce } from '../claims';
import { AuditEventModel, ScimUserModel, TenantModel } from '../models';
import { reportTestEvidence } from '../onboarding/evidence';
import { TEST_PERIOD, type OnboardingStage } from '../contracts/shared';

const SIGNED_IN = 'scim.evidence.user-signed-in';
const PURGED = 'deprovisioning.purged';
/** Tenancies whose sign-in half is recorded, so later sign-ins cost no read (per process). */
const signedInSeen = new Set<string>();

export async function noteProvisionedSignIn(
  client: Client,
  tenant: { tenantId: string; stage: OnboardingStage },
  userId: string,
  email: string,
): Promise<void> {
  if (!TEST_PERIOD.includes(tenant.stage) || signedInSeen.has(tenant.tenantId)) return;
  try {
    const scim = await ScimUserModel.findOne({ userId, tenantId: tenant.tenantId, link: 'provisioned' }, { _id: 1 }).lean();
    if (!scim) return;
    signedInSeen.add(tenant.tenantId);
    if (!(await claimOnce(`scim-evidence:${tenant.tenantId}:signed-in`))) return;
    await audit({
      action: SIGNED_IN,
      outcome: 'success',
      actor: { kind: 'user', userId, email },
      target: { type: 'user', id: userId },
      tenantId: tenant.tenantId,
      details: { scimId: scim._id },
    });
    await reportWhenBoth(client, tenant.tenantId);
  } catch (err) {
    console.error(`scim: could not note provisioning evidence for tenant ${tenant.tenantId}`, err);
  }
}

/** Called when a deprovisioning purged its user (the audit event of that step exists). */
export async function notePurge(client: Client, tenantId: string): Promise<void> {
  const tenant = await TenantModel.findOne({ tenantId }, { stage: 1 }).lean();
  if (tenant && TEST_PERIOD.includes(tenant.stage)) await reportWhenBoth(client, tenantId);
}

async function reportWhenBoth(client: Client, tenantId: string): Promise<void> {
  const [signedIn, purged] = await Promise.all([
    AuditEventModel.findOne({ action: SIGNED_IN, tenantId }).lean(),
    AuditEventModel.findOne({ action: PURGED, tenantId }).lean(),
  ]);
  if (!signedIn || !purged) return;
  await reportTestEvidence(client, tenantId, {
    item: 'provisioning',
    userId: signedIn.actor?.userId ?? undefined,
    email: signedIn.actor?.email ?? undefined,
    at: new Date().toISOString(),
    auditEventIds: [String(signedIn._id), String(purged._id)],
    summary: `A user created by SCIM signed in by SSO (${signedIn.actor?.email}), and a user deleted by SCIM was purged after its quarantine window (${Math.round(Number((purged.details as { quarantineMs?: number }).quarantineMs ?? 0) / 60_000)} min).`,
  });
}
