import { UserModel, type UserKind } from '../../lib/models';
import { createUser } from '../accounts/helpers';

/** A user made directly (password `PASSWORD` unless SSO), with the tenant fields deletion cares about. */
export async function createPerson(email: string, extra: { kind?: UserKind; isStaff?: boolean; tenantId?: string; tenantAdminOf?: string[] } = {}) {
  const user = await createUser({ email, kind: extra.kind, isStaff: extra.isStaff });
  if (extra.tenantId || extra.tenantAdminOf) {
    await UserModel.updateOne({ _id: user._id }, { $set: { tenantId: extra.tenantId, tenantAdminOf: extra.tenantAdminOf ?? [] } });
  }
  return user;
}
