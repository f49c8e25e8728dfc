/**
 * The campaign's side effects: one page of nudges (users after a cursor, never the whole
 * domain at once), the domain's progress, and the campaign record the console reads. Each
 * nudge's email key is (campaign, round, user): a retried page, or one re-run after a worker
 * was killed, skips the users already mailed and mails the rest.
 */
import { Context } from '@temporalio/activity';
import { Types } from 'mongoose';
import { brandedEmail } from '../../lib/email-layout';
import { MigrationCampaignModel, TenantModel, UserModel } from '../../lib/models';
import type { CampaignProgress, CampaignStatus } from '../../lib/contracts/migration-campaign';
import type { ActivityDeps } from '../deps';

const PAGE = 200;
const inDomain = (domain: string) => ({ $regex: `@${domain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` });

export function createCampaignActivities({ config, mailer }: ActivityDeps) {
  return {
    async nudgeCampaignPage(input: {
      campaignId: string;
      tenantId: string;
      domain: string;
      round: number;
      after?: string;
    }): Promise<{ sent: number; next?: string }> {
      const users = await UserModel.find(
        {
          kind: 'standard',
          status: 'active',
          email: inDomain(input.domain),
          ...(input.after ? { _id: { $gt: new Types.ObjectId(input.after) } } : {}),
        },
        { email: 1, displayName: 1 },
      )
        .sort({ _id: 1 })
        .limit(PAGE)
        .lean();
      const tenant = await TenantModel.findOne({ tenantId: input.tenantId }, { name: 1 }).lean();
      const organisation = tenant?.name ?? 'your organisation';
      let sent = 0;
      for (const user of users) {
        const body = brandedEmail({
          subject: `${organisation} now signs in to Entrada with single sign-on`,
          heading: `Hello ${user.displayName || user.email}`,
          paragraphs: [
            `${organisation} has connected Entrada to its Microsoft Entra ID. Please sign in once with your organisation account to move your Entrada account over.`,
            'You keep everything: your files, hubs, contacts, messages and meetings stay exactly as they are. Only the way you sign in changes.',
          ],
          action: { label: 'Sign in with your organisation', url: `${config.PUBLIC_BASE_URL}/signin` },
        });
        const key = `${input.campaignId}:round-${input.round}:${String(user._id)}`;
        if ((await mailer.send({ key, to: [user.email], template: 'migration-nudge', ...body })).sent) sent++;
        Context.current().heartbeat();
      }
      return { sent, next: users.length === PAGE ? String(users.at(-1)!._id) : undefined };
    },

    async campaignProgress(input: { domain: string }): Promise<CampaignProgress> {
      const email = inDomain(input.domain);
      const [remaining, migrated] = await Promise.all([
        UserModel.countDocuments({ kind: 'standard', status: 'active', email }),
        UserModel.countDocuments({ 'migration.completedAt': { $exists: true }, email }),
      ]);
      return { migrated, remaining };
    },

    async recordCampaign(input: {
      tenantId: string;
      domain: string;
      status: CampaignStatus;
      deadline?: string;
      progress: CampaignProgress;
    }): Promise<void> {
      await MigrationCampaignModel.updateOne(
        { tenantId: input.tenantId, domain: input.domain },
        { $set: { status: input.status, deadline: input.deadline ? new Date(input.deadline) : null, progress: input.progress } },
        { upsert: true },
      );
    },
  };
}
