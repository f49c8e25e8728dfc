import { audit } from '../audit';
import { badRequest } from '../errors';
import { UserModel } from '../models';
import type { InviteDeps } from './deps';
import { renewalRequestEmail } from './emails';
import { auditRefusal, openInvite, type RequestInfo } from './open';

/**
 * "Ask for a new invite" on the page of an expired, used or revoked link: emails the inviter,
 * once per dead link (the mail key includes the invite's expiry, which a re-send changes).
 * A tampered or unknown token names no inviter, so it cannot be used to send anything.
 */
const WHY = { expired: 'had expired', used: 'had already been used', revoked: 'had been withdrawn' } as const;

export async function requestNewInvite(token: string, ctx: RequestInfo, deps: InviteDeps): Promise<{ inviter: string }> {
  const opened = await openInvite(token);
  if (opened.ok) throw badRequest('This invite is still valid: open the link again to accept it.');
  if (opened.reason === 'invalid' || !opened.view) {
    await auditRefusal(opened.reason, undefined, ctx, 'renewal');
    throw badRequest(opened.message);
  }
  const view = opened.view;
  const inviter = await UserModel.findOne({ _id: view.inviter.id, status: 'active' }, { email: 1 }).lean();
  if (!inviter) throw badRequest('The person who invited you no longer has an Entrada account.');

  const params = new URLSearchParams({
    email: view.email,
    ...(view.hub && { hubId: view.hub.id }),
    ...(view.file && { fileId: view.file.id }),
    ...(view.asContact && { asContact: '1' }),
  });
  const body = renewalRequestEmail({
    invitee: view.email,
    what: view.what,
    why: WHY[opened.reason],
    url: `${deps.config.PUBLIC_BASE_URL}/invites/new?${params}`,
  });
  const { sent } = await deps.mailer.send({
    key: `invite-renewal:${view.id}:${opened.reason}:${view.expiresAt.getTime()}`,
    to: [inviter.email],
    template: 'invite-renewal',
    ...body,
  });
  await audit({
    action: 'invite.renewal_requested',
    outcome: 'success',
    actor: { kind: 'anonymous', email: view.email },
    target: { type: 'invite', id: view.id },
    ...ctx,
    details: { reason: opened.reason, inviterId: view.inviter.id, emailed: sent },
  });
  return { inviter: view.inviter.name };
}
