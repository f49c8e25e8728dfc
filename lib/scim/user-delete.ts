/**
 * DELETE /Users/<id>: the start of the user's deprovisioning saga, never a deletion on the
 * spot. A replay, or a PATCH after the DELETE, is answered 404 with what happened. A standard
 * account only linked for migration is never deprovisioned by SCIM (nothing proves it is the
 * same person until they sign in by SSO): the link is dropped and the account left alone.
 */
import { auditScim } from './audit';
import { withLock } from '../claims';
import { ScimUserModel, UserModel } from '../models';
import { isControlled } from './accounts';
import type { ScimContext } from './context';
import { startDeprovisioning } from './deprovision';
import { scimNotFound } from './errors';
import { deletedUser, releasedKey, type ScimUserRecord } from './user-records';

export async function deleteScimUser(ctx: ScimContext, id: string): Promise<void> {
  await withLock(`scim-user:${id}`, async () => {
    const doc = (await ScimUserModel.findById(id).lean()) as ScimUserRecord | null;
    if (!doc || doc.tenantId !== ctx.tenantId || doc.purgedAt) throw scimNotFound(`No user ${id}.`);
    if (doc.deletedAt) throw deletedUser(doc);
    const details = { scimId: id, objectId: doc.externalId };
    if (!(await isControlled(ctx.tenantId, doc.externalId, doc.userId))) {
      const now = new Date();
      await ScimUserModel.updateOne(
        { _id: id },
        { $set: { deletedAt: now, purgedAt: now, identityKey: releasedKey(id), userNameKey: releasedKey(id) } },
      );
      await auditScim(ctx, 'scim.user.unlinked', { type: 'user', id: String(doc.userId) }, { ...details, link: doc.link });
      return;
    }
    const user = await UserModel.findById(doc.userId, { email: 1 }).lean();
    await startDeprovisioning(ctx, doc, user?.email ?? '');
    await auditScim(ctx, 'scim.user.deleted', { type: 'user', id: String(doc.userId) }, details);
  });
}
