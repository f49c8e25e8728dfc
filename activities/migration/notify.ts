import { Context } from '@temporalio/activity';
import { brandedEmail } from '../../lib/email-layout';
import { TenantModel, UserModel } from '../../lib/models';
import { reportSsoEvidence } from '../../lib/sso/evidence';
import type { ObjectCounts } from '../../lib/contracts/migration';
import type { ActivityDeps } from '../deps';
import type { MigrationStep } from './account';

export function createMigrationNoticeActivities({ config, mailer }: ActivityDeps) {
  return {
    /** Tells the user what changed; keyed on the workflow ID, so sent once however often retried. */
    async notifyUserMigrated(s: MigrationStep): Promise<{ sent: boolean }> {
      const [user, tenant] = await Promise.all([
        UserModel.findById(s.userId, { email: 1, displayName: 1 }).lean(),
        TenantModel.findOne({ tenantId: s.tenantId }, { name: 1 }).lean(),
      ]);
      if (!user) return { sent: false };
      const organisation = tenant?.name ?? 'your organisation';
      const body = brandedEmail({
        subject: 'Your Entrada account now uses single sign-on',
        heading: `Hello ${user.displayName || user.email}`,
        paragraphs: [
          `You just signed in to Entrada with ${organisation}'s Microsoft Entra ID for the first time, so your account was upgraded to single sign-on.`,
          'Your files, hubs, contacts, messages and meetings are all still there. Your Entrada password no longer works: from now on, sign in with your organisation account.',
          'If you did not sign in just now, contact your IT administrator.',
        ],
        action: { label: 'Open Entrada', url: `${config.PUBLIC_BASE_URL}/` },
      });
      const { sent } = await mailer.send({ key: `${s.workflowId}:notice`, to: [user.email], template: 'user-migrated', ...body });
      return { sent };
    },

    /** While the tenant is being tested, a real migration ticks the checklist item. */
    async reportMigrationEvidence(s: MigrationStep & { auditEventIds: string[]; countsBefore: ObjectCounts }): Promise<void> {
      const tenant = await TenantModel.findOne({ tenantId: s.tenantId }, { stage: 1, configVersion: 1 }).lean();
      if (!tenant) return;
      const total = Object.values(s.countsBefore).reduce((a, b) => a + b, 0);
      await reportSsoEvidence(Context.current().client, {
        tenantId: s.tenantId,
        stage: tenant.stage,
        configVersion: tenant.configVersion,
        item: 'account-migration',
        userId: s.userId,
        email: s.email,
        auditEventIds: s.auditEventIds,
        summary: `Password account ${s.email} migrated to SSO at first sign-in; ${total} attached objects kept (counts verified before and after).`,
      });
    },
  };
}
