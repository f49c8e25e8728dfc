import { SessionModel } from '../models';

/**
 * Ends the SSO sessions Entra's single-logout request names: those of this tenancy's NameID,
 * only the one with that SessionIndex when the request gives any (a user signed in on two
 * devices keeps the other). Sessions are documents keyed by their ID, so this is a filter on
 * the SSO details each session keeps (web/saml/session.ts); a deleted session is signed out at
 * its next request. Returns how many ended.
 */
export async function endSsoSessions(tenantId: string, nameId: string, sessionIndexes: string[]): Promise<number> {
  const { deletedCount } = await SessionModel.deleteMany({
    'session.sso.tenantId': tenantId,
    'session.sso.nameId': nameId,
    ...(sessionIndexes.length ? { 'session.sso.sessionIndex': { $in: sessionIndexes } } : {}),
  });
  return deletedCount;
}
