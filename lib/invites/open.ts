import { audit } from '../audit';
import { tenantForEmailDomain } from '../sso/domains';
import { InviteModel } from '../models';
import { hashToken, isWellFormedToken } from './tokens';
import { inviteView, statusOf, type InviteDoc, type InviteView } from './views';

/**
 * Opening an invite link: is it usable, and which flow does it lead into *now*? The kind in
 * the email was decided when it was sent; if the invitee's domain has since been nominated
 * by a live tenant, that wins (a standard link then leads into SSO), and if the tenant no
 * longer enforces SSO, a corporate link falls back to standard registration.
 */

export type LinkRefusal = 'invalid' | 'expired' | 'used' | 'revoked';

export interface RequestInfo {
  ip?: string;
  userAgent?: string;
}

export type OpenedInvite =
  | { ok: true; invite: InviteDoc; view: InviteView; tenant?: { tenantId: string; name: string } }
  | { ok: false; reason: LinkRefusal; message: string; view?: InviteView };

export async function openInvite(token: unknown): Promise<OpenedInvite> {
  const invite = isWellFormedToken(token) ? await InviteModel.findOne({ tokenHash: hashToken(token) }) : null;
  if (!invite) return refusal('invalid');
  const view = await inviteView(invite);
  const status = statusOf(invite);
  if (status === 'expired') return refusal('expired', view);
  if (status === 'accepted') return refusal('used', view);
  if (status === 'revoked') return refusal('revoked', view);
  const tenant = await tenantForEmailDomain(invite.email);
  return { ok: true, invite, view, tenant: tenant && { tenantId: tenant.tenantId, name: tenant.name } };
}

export function refusal(reason: LinkRefusal, view?: InviteView): OpenedInvite & { ok: false } {
  return { ok: false, reason, view, message: refusalMessage(reason, view) };
}

function refusalMessage(reason: LinkRefusal, view?: InviteView): string {
  switch (reason) {
    case 'invalid':
      return 'This invite link is not valid. Check that you copied the whole link from the email; if you were sent a newer invite, use the link in the latest email.';
    case 'expired':
      return `This invite expired on ${view!.expiresAt.toISOString().slice(0, 10)}.`;
    case 'used':
      return 'This invite was already used. Sign in to see what it gave you.';
    case 'revoked':
      return `${view!.inviter.name} withdrew this invite.`;
  }
}

/** Every refused use of a link is audited with its reason (guessing tokens leaves a trail). */
export async function auditRefusal(
  reason: string,
  view: InviteView | undefined,
  ctx: RequestInfo & { userId?: string; email?: string },
  step: string,
): Promise<void> {
  await audit({
    action: 'invite.refused',
    outcome: 'failure',
    actor: ctx.userId ? { kind: 'user', userId: ctx.userId, email: ctx.email } : { kind: 'anonymous' },
    target: view ? { type: 'invite', id: view.id } : undefined,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    details: { reason, step },
  });
}
