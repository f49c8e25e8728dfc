import { SessionModel } from '../models';

/**
 * Ends the SSO sessions Entra's single-logout request names: those of this tenancy's NameID,
 * only the one with that SessionIndex when the request gives any (a user signed in on two
 * devices keeps the other). Sessions are found by the top-level copy of their tenancy and NameID
 * (an index; see lib/models/session.ts), the SessionIndex filtering those few; a deleted session
 * is signed out at its next request. Returns how many ended.
 */
export async function endSsoSessions(tenantId: string, nameId: string, sessionIndexes: string[]): Promise<number> {
  const { deletedCount } = await SessionModel.deleteMany({
    ssoNameId: nameId,
    ssoTenantId: tenantId,
    ...(sessionIndexes.length ? { 'session.sso.sessionIndex': { $in: sessionIndexes } } : {}),
  });
  return deletedCount;
}

/**
 * Data migration: SSO sessions stored before they carried `ssoTenantId`/`ssoNameId` get them,
 * so single logout finds them too. Conditional updates of only those rows, safe to run at every
 * worker start; a no-op once they are done (new sessions are written with them).
 */
export async function indexSsoSessions(): Promise<number> {
  const missing = await SessionModel.find(
    { ssoNameId: { $exists: false }, 'session.sso.nameId': { $exists: true } },
    { session: 1 },
  ).lean();
  let filled = 0;
  for (const row of missing) {
    const sso = (row.session as { sso?: { tenantId?: string; nameId?: string } }).sso;
    if (!sso?.tenantId || !sso.nameId) continue;
    const res = await SessionModel.updateOne(
      { _id: row._id, ssoNameId: { $exists: false } },
      { $set: { ssoTenantId: sso.tenantId, ssoNameId: sso.nameId } },
    );
    filled += res.modifiedCount;
  }
  return filled;
}
