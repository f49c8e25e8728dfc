import type { ReconcileSummary } from '../../lib/contracts/deprovisioning';
import { audit } from '../../lib/audit';
import { ReconciliationReportModel, ScimUserModel, UserModel } from '../../lib/models';
import { provisioningSettings } from '../../lib/scim/settings';
import type { ActivityDeps } from '../deps';

const LISTED = 500;

/**
 * Compares the tenancy's SSO accounts with what SCIM told us, and reports (never deletes):
 * accounts SCIM never mentioned (signed in before provisioning, or missed by a provisioning
 * outage), and users disabled or deleted for longer than the quarantine window (a purge that
 * is held or paused, or a disabled user nobody deleted). So an outage can never turn into a
 * mass deletion: only the directory's explicit DELETE, through the saga, ever purges.
 */
export function createReconcile({ config }: ActivityDeps) {
  return async function reconcileTenancy({ tenantId, workflowId }: { tenantId: string; workflowId: string }): Promise<ReconcileSummary> {
    const now = new Date();
    const settings = await provisioningSettings(config, tenantId);
    const [accounts, scimUsers] = await Promise.all([
      UserModel.find({ tenantId, kind: 'sso', status: { $ne: 'deleted' } }, { email: 1, createdAt: 1 }).lean(),
      ScimUserModel.find({ tenantId, purgedAt: null }, { userId: 1, resource: 1, active: 1, suspendedAt: 1, deletedAt: 1 }).lean(),
    ]);
    const known = new Set(scimUsers.map((u) => String(u.userId)));
    const neverMentioned = accounts.filter((a) => !known.has(String(a._id)));
    const cutoff = now.getTime() - settings.quarantineMs;
    const overdue = scimUsers
      .map((u) => ({ u, since: u.deletedAt ?? (u.active ? undefined : u.suspendedAt) }))
      .filter(({ since }) => since && since.getTime() < cutoff);
    const emails = new Map(accounts.map((a) => [String(a._id), a.email]));
    const report = {
      at: now,
      workflowId,
      ssoAccounts: accounts.length,
      scimUsers: scimUsers.length,
      neverMentioned: neverMentioned.slice(0, LISTED).map((a) => ({ userId: String(a._id), email: a.email, createdAt: a.createdAt })),
      overdueSuspended: overdue.slice(0, LISTED).map(({ u, since }) => ({
        userId: String(u.userId),
        scimId: String(u._id),
        email: emails.get(String(u.userId)) ?? '',
        since,
        state: u.deletedAt ? 'deleted, purge not done' : 'disabled',
      })),
    };
    const auditEventId = await audit({
      action: 'scim.reconciliation.reported',
      outcome: 'success',
      actor: { kind: 'system' },
      target: { type: 'tenant', id: tenantId },
      tenantId,
      details: {
        workflowId,
        ssoAccounts: accounts.length,
        scimUsers: scimUsers.length,
        neverMentioned: neverMentioned.length,
        overdueSuspended: overdue.length,
      },
    });
    await ReconciliationReportModel.updateOne({ _id: tenantId }, { $set: { ...report, auditEventId } }, { upsert: true });
    return {
      tenantId,
      ssoAccounts: accounts.length,
      scimUsers: scimUsers.length,
      neverMentioned: neverMentioned.length,
      overdueSuspended: overdue.length,
      auditEventId,
    };
  };
}
