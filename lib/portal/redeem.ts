/**
 * Opening and redeeming a portal invitation. Every refusal is a named outcome the page
 * explains (never an access): a link not ours or superseded, one already used, one whose
 * onboarding ended, or a signed-in account that is not the invited standard account.
 * Redeeming makes the account an admin of the tenancy (`tenantAdminOf`); both the grant and
 * each refusal are audited.
 */
import type { SessionUser } from '../accounts/session-user';
import { audit } from '../audit';
import { PortalInviteModel, TenantModel, UserModel } from '../models';
import { verifyInviteToken } from './invite-token';
import { ONBOARDING_ENDED } from './invitations';

export type InviteProblem = 'invalid' | 'used' | 'ended' | 'wrong-account';
export type InviteLookup =
  | { ok: true; inviteId: string; tenantId: string; orgName: string; email: string }
  | { ok: false; problem: InviteProblem; tenantId?: string; orgName?: string; email?: string };

/** What the link is, without using it (a GET: mail scanners open links too). */
export async function lookUpInvite(secret: string, token: string): Promise<InviteLookup> {
  const signed = verifyInviteToken(secret, token);
  const invite = signed && (await PortalInviteModel.findById(signed.id).lean());
  if (!signed || !invite || invite.generation !== signed.generation || invite.voidedAt) return { ok: false, problem: 'invalid' };
  const tenant = await TenantModel.findOne({ tenantId: invite.tenantId }, { name: 1, stage: 1 }).lean();
  const about = { tenantId: invite.tenantId, orgName: tenant?.name ?? invite.tenantId, email: invite.email };
  if (!tenant || (ONBOARDING_ENDED as readonly string[]).includes(tenant.stage)) return { ok: false, problem: 'ended', ...about };
  if (invite.usedAt) return { ok: false, problem: 'used', ...about };
  return { ok: true, inviteId: String(invite._id), ...about };
}

export async function redeemInvite(
  secret: string,
  token: string,
  user: SessionUser,
  ctx: { ip?: string; userAgent?: string } = {},
): Promise<InviteLookup> {
  const found = await lookUpInvite(secret, token);
  const refused = (problem: InviteProblem) => ({ ...found, ok: false as const, problem });
  let outcome: InviteLookup = found;
  if (found.ok) {
    if (user.kind !== 'standard' || user.email.toLowerCase() !== found.email) outcome = refused('wrong-account');
    else {
      // The one atomic step: only one request can turn an unused invitation into a used one.
      const used = await PortalInviteModel.findOneAndUpdate(
        { _id: found.inviteId, usedAt: null, voidedAt: null },
        { $set: { usedAt: new Date(), usedBy: user.id } },
      ).lean();
      if (!used) outcome = refused('used');
      else await UserModel.updateOne({ _id: user.id }, { $addToSet: { tenantAdminOf: found.tenantId } });
    }
  }
  await audit({
    action: 'portal.invite-redeemed',
    outcome: outcome.ok ? 'success' : 'denied',
    actor: { kind: 'user', userId: user.id, email: user.email },
    ...(found.ok ? { target: { type: 'portal-invite', id: found.inviteId } } : {}),
    tenantId: outcome.tenantId,
    ...ctx,
    details: outcome.ok ? { email: outcome.email, granted: 'tenant-admin' } : { problem: outcome.problem, invited: outcome.email },
  });
  return outcome;
}
