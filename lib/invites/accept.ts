import { claimOnce, releaseClaim } from '../claims';
import { audit, type AuditInput } from '../audit';
import { Refusal } from '../contracts/refusal';
import { InviteModel } from '../models';
import type { UserKind } from '../models';
import { applyInvite } from './apply';
import { auditRefusal, openInvite, refusal, type LinkRefusal, type RequestInfo } from './open';
import type { InviteView } from './views';

/**
 * Accepting an invite as a signed-in user. The invite is claimed with one conditional
 * update (pending, not expired, this token) so it is used once even when two requests race;
 * then its hub membership / file share / contact is applied.
 */

export interface Invitee {
  id: string;
  email: string;
  kind: UserKind;
  tenantId?: string | null;
}

export type AcceptRefusal = LinkRefusal | 'email-mismatch' | 'sso-required' | 'cannot-apply';
export type AcceptResult =
  | { ok: true; view: InviteView; redirectTo: string }
  | { ok: false; reason: AcceptRefusal; message: string; view?: InviteView; ssoTenantId?: string };

export async function acceptInvite(token: string, user: Invitee, ctx: RequestInfo): Promise<AcceptResult> {
  const who = { ...ctx, userId: user.id, email: user.email };
  const opened = await openInvite(token);
  if (!opened.ok) {
    await auditRefusal(opened.reason, opened.view, who, 'accept');
    return opened;
  }
  const { invite, view, tenant } = opened;
  const actor = { kind: 'user' as const, userId: user.id, email: user.email };
  const target = { type: 'invite', id: view.id };

  if (user.email.toLowerCase() !== invite.email) {
    await audit({
      action: 'invite.email_mismatch',
      outcome: 'denied',
      actor,
      target,
      tenantId: tenant?.tenantId,
      ...ctx,
      details: { invitedEmail: invite.email, signedInEmail: user.email, userKind: user.kind },
    });
    return {
      ok: false,
      reason: 'email-mismatch',
      view,
      message: `This invite is for ${invite.email}, but you are signed in as ${user.email}. Only ${invite.email} can accept it: sign out and sign in with that account, or ask ${view.inviter.name} to invite ${user.email} instead.`,
    };
  }
  // In a nominated domain the account must be the tenant's SSO account, never a password one.
  if (tenant && !(user.kind === 'sso' && user.tenantId === tenant.tenantId)) {
    await auditRefusal('sso-required', view, who, 'accept');
    return {
      ok: false,
      reason: 'sso-required',
      view,
      ssoTenantId: tenant.tenantId,
      message: `${tenant.name} signs in with Microsoft Entra ID: continue with your company sign-in to accept this invite.`,
    };
  }

  const now = new Date();
  const claimKey = `invite-accept:${invite.id}:${invite.tokenHash}`;
  const claimed =
    (await claimOnce(claimKey)) &&
    (await InviteModel.findOneAndUpdate(
      { _id: invite._id, tokenHash: invite.tokenHash, status: 'pending', expiresAt: { $gt: now } },
      { $set: { status: 'accepted', acceptedBy: user.id, acceptedAt: now, dedupeKey: invite.id } },
      { returnDocument: 'after' },
    ));
  if (!claimed) {
    // Lost a race (used, revoked or re-sent meanwhile): say what it is now.
    const again = await openInvite(token);
    const lost = again.ok ? refusal('used', view) : again;
    await auditRefusal(lost.reason, view, who, 'accept');
    return lost;
  }

  try {
    await applyInvite(claimed, { id: user.id, email: user.email, ...ctx });
  } catch (err) {
    if (!(err instanceof Refusal) || err.status >= 500) {
      // Not a refusal but a failure (database, network): give the invite back for a retry.
      await giveBack(claimed._id, user.id, invite.dedupeKey, claimKey).catch((rollbackErr: unknown) =>
        recordStuckInvite(view.id, err, rollbackErr, actor, ctx),
      );
      throw err;
    }
    // A refusal is permanent (the inviter lost the right, the hub or file is gone): the invite is void.
    await InviteModel.updateOne({ _id: claimed._id }, { $set: { status: 'revoked' } });
    await audit({
      action: 'invite.refused',
      outcome: 'failure',
      actor,
      target,
      ...ctx,
      details: { reason: 'cannot-apply', message: err.message },
    });
    return {
      ok: false,
      reason: 'cannot-apply',
      view,
      message: `This invite can no longer be used: ${err.message} Ask ${view.inviter.name} for a new invite.`,
    };
  }

  await audit({
    action: 'invite.accepted',
    outcome: 'success',
    actor,
    target,
    tenantId: tenant?.tenantId,
    ...ctx,
    details: {
      kind: tenant ? 'corporate' : 'standard',
      sentAs: invite.kind,
      hubId: view.hub?.id,
      fileId: view.file?.id,
      asContact: view.asContact,
    },
  });
  return { ok: true, view, redirectTo: view.hub ? `/hubs/${view.hub.id}` : view.file ? `/files/${view.file.id}` : '/contacts' };
}

/** Undoes the claim of an invite whose acceptance failed half-way, so that a retry can use it. */
async function giveBack(inviteId: unknown, userId: string, dedupeKey: string | null | undefined, claimKey: string): Promise<void> {
  await InviteModel.updateOne(
    { _id: inviteId, status: 'accepted', acceptedBy: userId },
    { $set: { status: 'pending', dedupeKey }, $unset: { acceptedBy: 1, acceptedAt: 1 } },
  );
  await releaseClaim(claimKey);
}

/**
 * The invite stays marked accepted although it gave nothing: a retry would be told it was
 * used. Audited (and logged, in case the audit cannot be written either) so that staff or
 * the inviter can re-send it; the person sees the original failure.
 */
async function recordStuckInvite(
  inviteId: string,
  failure: unknown,
  rollbackErr: unknown,
  actor: AuditInput['actor'],
  ctx: RequestInfo,
): Promise<void> {
  console.error(`invites: invite ${inviteId} is marked accepted but was not applied, and could not be given back`, {
    failure,
    rollbackErr,
  });
  await audit({
    action: 'invite.accept-rollback-failed',
    outcome: 'failure',
    actor,
    target: { type: 'invite', id: inviteId },
    ...ctx,
    details: { failure: String(failure), rollback: String(rollbackErr) },
  }).catch((auditErr: unknown) => console.error(`invites: could not audit the stuck invite ${inviteId}`, auditErr));
}
