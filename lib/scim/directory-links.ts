/**
 * What SCIM tells the sign-in path: a user's provisioned groups (for the group gate, without
 * a groups claim or a Graph call), and a standard account SCIM linked for migration (found by
 * the Entra object, so a later address change in the directory still finds it).
 */
import { ScimGroupModel, ScimMemberModel, ScimUserModel, UserModel } from '../models';
import { identityKey } from './user-records';

/** The externalIds (Entra object IDs) of the user's groups, or undefined when the tenancy provisions no groups. */
export async function provisionedGroupsOf(tenantId: string, objectId: string): Promise<string[] | undefined> {
  if (!(await ScimGroupModel.exists({ tenantId }))) return undefined;
  const user = await ScimUserModel.findOne({ identityKey: identityKey(tenantId, objectId) }, { _id: 1, deletedAt: 1 }).lean();
  if (!user || user.deletedAt) return [];
  const rows = await ScimMemberModel.find({ userScimId: user._id }, { groupId: 1 }).lean();
  const groups = await Promise.all(rows.map((r) => ScimGroupModel.findById(r.groupId, { externalId: 1, tenantId: 1 }).lean()));
  return groups.filter((g) => g?.tenantId === tenantId && g.externalId).map((g) => g!.externalId!.toLowerCase());
}

/** The standard account SCIM linked to this Entra object for migration at its first SSO sign-in, if any. */
export async function accountLinkedForMigration(tenantId: string, objectId: string): Promise<string | undefined> {
  const link = await ScimUserModel.findOne({ identityKey: identityKey(tenantId, objectId) }, { userId: 1, link: 1, deletedAt: 1 }).lean();
  if (!link || link.link !== 'migration' || link.deletedAt) return undefined;
  const user = await UserModel.findById(link.userId, { kind: 1, status: 1, tenantId: 1 }).lean();
  const usable =
    user?.kind === 'standard' &&
    (user.status === 'active' || user.status === 'migrating') &&
    (!user.tenantId || user.tenantId === tenantId);
  return usable ? String(link.userId) : undefined;
}
