import { Types } from 'mongoose';
import { audit } from '../../lib/audit';
import { HubMembershipModel, HubModel, InviteModel, MeetingModel, MessageModel } from '../../lib/models';
import { auditActor } from '../../lib/deletion/requests';
import { auditedStep, type DeletionStep } from './audited-step';
import { purgeFiles } from './purge-files';

/**
 * Step 4a. The hub rule: a membership is simply removed, unless the user is the hub's only
 * owner. Then ownership goes to the hub's longest-standing admin; a hub with no other admin
 * has nobody entitled to it, so it is deleted with its files (`purgeOrphanedHub`). Its
 * membership is kept until then, so a crash between the two steps finds the hub again.
 */
export async function releaseUserHubs(step: DeletionStep) {
  return auditedStep(step, 'release-hubs', async () => {
    const userId = new Types.ObjectId(step.userId);
    const result = { left: 0, transferred: 0, orphaned: [] as string[] };
    for (const membership of await HubMembershipModel.find({ userId }).lean()) {
      const hubId = membership.hubId;
      const others = await HubMembershipModel.find({ hubId, userId: { $ne: userId }, role: { $in: ['owner', 'admin'] } })
        .sort({ createdAt: 1, _id: 1 })
        .lean();
      const heir = others.find((m) => m.role === 'admin');
      if (membership.role === 'owner' && !others.some((m) => m.role === 'owner')) {
        if (!heir || !(await HubModel.exists({ _id: hubId }))) {
          result.orphaned.push(String(hubId));
          continue;
        }
        await HubMembershipModel.updateOne({ _id: heir._id }, { $set: { role: 'owner' } });
        await audit({
          action: 'hub.ownership.transfer',
          outcome: 'success',
          actor: auditActor(step.requestedBy),
          target: { type: 'hub', id: String(hubId) },
          tenantId: step.tenantId ?? undefined,
          details: { from: step.userId, to: String(heir.userId), why: 'sole owner deleted', workflowId: step.workflowId },
        });
        result.transferred++;
      } else {
        result.left++;
      }
      await HubMembershipModel.deleteOne({ _id: membership._id });
    }
    return result;
  });
}

/**
 * Step 4b (purge queue). A hub nobody may inherit: its files (whoever uploaded them), then
 * its messages, meetings and pending invites, the hub, and its memberships last (the
 * deleted owner's membership is what finds the hub again if this is retried).
 */
export async function purgeOrphanedHub(step: DeletionStep & { hubId: string }) {
  const hubId = new Types.ObjectId(step.hubId);
  return auditedStep(
    step,
    `purge-hub:${step.hubId}`,
    async () => {
      const files = await purgeFiles({ hubId });
      const messages = await MessageModel.deleteMany({ hubId });
      const meetings = await MeetingModel.deleteMany({ hubId });
      await InviteModel.updateMany({ hubId, status: 'pending' }, { $set: { status: 'revoked' } });
      await HubModel.deleteOne({ _id: hubId });
      const members = await HubMembershipModel.deleteMany({ hubId });
      return {
        files: files.purged,
        bytes: files.bytes,
        messages: messages.deletedCount,
        meetings: meetings.deletedCount,
        members: members.deletedCount,
      };
    },
    { type: 'hub', id: step.hubId },
  );
}
