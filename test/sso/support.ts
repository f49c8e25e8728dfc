/** SSO suite helpers: what a refusal left in the audit trail, and proof that it changed no account. */
import { AuditEventModel, SsoIdentityModel, UserModel } from '../../lib/models';

/** The latest `saml.rejected` audit event's reason, and the reference shown on the page. */
export async function lastRejection() {
  const event = await AuditEventModel.findOne({ action: 'saml.rejected' }).sort({ at: -1, _id: -1 }).lean();
  return (
    event && {
      reference: String(event._id),
      reason: (event.details as { reason: string }).reason,
      details: event.details as Record<string, unknown>,
    }
  );
}

/** Users and identities, to assert that a refusal created or changed nothing. */
export async function accountSnapshot() {
  const [users, identities] = await Promise.all([
    UserModel.find({}, { __v: 0 }).sort({ _id: 1 }).lean(),
    SsoIdentityModel.find({}, { __v: 0, lastLoginAt: 0 }).sort({ _id: 1 }).lean(),
  ]);
  return JSON.parse(JSON.stringify({ users, identities }));
}
