import { brandedEmail } from '../../lib/email-layout';
import type { Mailer } from '../../lib/mailer';
import { TenantModel, UserModel } from '../../lib/models';
import type { DeletionCounts } from '../../lib/contracts/deletion';
import type { ActivityDeps } from '../deps';
import { auditedStep, type DeletionStep } from './audited-step';
import type { DeletedAccount } from './mark-deleting';

/**
 * Step 6. Staff and the tenant's admins (users administering the tenant, plus the
 * tenant's admin contacts) get what was purged; a user who deleted their own account gets
 * a confirmation at the address it had. Emails are keyed by workflow ID, so sent once.
 */
export function createNotifyDeletion({ config, mailer }: ActivityDeps) {
  return async function notifyUserDeleted(step: DeletionStep & { account: DeletedAccount; counts: DeletionCounts }) {
    return auditedStep(step, 'notify', async () => {
      const admins = step.account.tenantId ? await tenantAdminEmails(step.account.tenantId) : [];
      const to = [...new Set([config.STAFF_EMAIL.toLowerCase(), ...admins])];
      await send(
        mailer,
        `${step.workflowId}:notify`,
        to,
        report(step, `${config.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}`),
      );
      if (step.requestedBy.kind === 'self') {
        await send(mailer, `${step.workflowId}:notify-self`, [step.account.email], selfConfirmation());
      }
      return { notified: to.length + (step.requestedBy.kind === 'self' ? 1 : 0) };
    });
  };
}

async function tenantAdminEmails(tenantId: string): Promise<string[]> {
  const [users, tenant] = await Promise.all([
    UserModel.find({ tenantAdminOf: tenantId, status: 'active' }, { email: 1 }).lean(),
    TenantModel.findOne({ tenantId }, { adminEmails: 1 }).lean(),
  ]);
  return [...users.map((u) => u.email), ...(tenant?.adminEmails ?? [])].map((e) => e.toLowerCase());
}

const send = (mailer: Mailer, key: string, to: string[], body: ReturnType<typeof brandedEmail>) =>
  mailer.send({ key, to, template: 'user-deleted', ...body });

function report(step: DeletionStep & { account: DeletedAccount; counts: DeletionCounts }, namespaceUrl: string) {
  const c = step.counts;
  const by = step.requestedBy;
  return brandedEmail({
    subject: `Account ${step.account.email} deleted`,
    heading: 'An account was deleted',
    paragraphs: [
      `The ${step.account.kind === 'sso' ? 'SSO' : 'standard'} account ${step.account.email}${step.account.tenantId ? ` (Entra tenant ${step.account.tenantId})` : ''} was deleted at the request of ${by.kind}${by.email ? ` ${by.email}` : ''}. Reason: ${by.reason}`,
      `Purged: ${c.files} files (${c.bytes} bytes); ${c.hubsDeleted} hubs with nobody to inherit them, with ${c.hubFiles} files.`,
      `Handed over or left: ${c.hubsTransferred} hubs transferred to an admin, ${c.hubsLeft} hub memberships removed.`,
      `Removed: ${c.sharesRemoved} shares to the user, ${c.contactsRemoved} contacts, ${c.messagesRemoved} messages, ${c.meetingsDeleted} meetings organised (and left ${c.meetingsLeft}), ${c.invitesRevoked} pending invites, ${c.staffTokens} staff tokens.`,
      `SSO identities tombstoned: ${c.identitiesTombstoned}. A new sign-in with this email starts an empty account.`,
    ],
    action: { label: 'Open the deletion in Temporal', url: `${namespaceUrl}/workflows/${encodeURIComponent(step.workflowId)}` },
  });
}

function selfConfirmation() {
  return brandedEmail({
    subject: 'Your Entrada account was deleted',
    heading: 'Your account was deleted',
    paragraphs: [
      'As you asked, your Entrada account, its files, contacts, messages and meetings have been deleted.',
      'If you sign up again with this email address, you will start with a new, empty account.',
    ],
  });
}
