import { z } from 'zod';
import { audit } from '../audit';
import { badRequest, conflict } from '../errors';
import { tenantForEmailDomain } from '../sso/domains';
import { ContactModel, HubMembershipModel, InviteModel, UserModel } from '../models';
import { auditedBy, deny, fileFor, hubFor, mayAssignRole, type Actor } from '../collab/access';
import { isDuplicateKey } from '../collab/people';
import { emailSchema, parse } from '../accounts/validation';
import { inviteLinkPath, type InviteDeps } from './deps';
import { inviteEmail } from './emails';
import { newInviteToken } from './tokens';
import { inviteView, type InviteDoc, type InviteView } from './views';

/**
 * Sending an invite. Everything is checked before anything is written (nothing half-made on
 * bad input). The link kind is decided here, from the invitee's domain: a domain nominated
 * by a live tenant gets a corporate link into that tenant's SSO, any other a standard link.
 * Inviting the same email to the same thing again re-sends the pending invite with a new
 * token (the old link dies) instead of creating a second one.
 */

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);
const checkbox = z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean());

export const inviteInputSchema = z.object({
  email: emailSchema,
  hubId: z.preprocess(blankToUndefined, z.string().trim().max(64).optional()),
  hubRole: z.preprocess(
    blankToUndefined,
    z.enum(['member', 'admin'], { error: 'The hub role must be "member" or "admin".' }).default('member'),
  ),
  fileId: z.preprocess(blankToUndefined, z.string().trim().max(64).optional()),
  asContact: checkbox.optional().default(false),
});
export type InviteInput = z.infer<typeof inviteInputSchema>;

export async function sendInvite(actor: Actor, raw: unknown, deps: InviteDeps): Promise<{ invite: InviteView; resent: boolean }> {
  const input = parse(inviteInputSchema, raw);
  if (!input.hubId && !input.fileId && !input.asContact)
    throw badRequest('Choose what to invite them to: a hub, a file, or your contacts.');
  if (input.email === actor.email.toLowerCase()) {
    await audit({
      ...auditedBy(actor),
      action: 'invite.refused',
      outcome: 'failure',
      details: { reason: 'self-invite', email: input.email },
    });
    throw badRequest('You cannot invite yourself. Enter the email of the person you want to work with.', {
      fields: { email: 'That is your own email.' },
    });
  }
  const target = await checkTarget(actor, input);
  const tenant = await tenantForEmailDomain(input.email);
  const kind: 'corporate' | 'standard' = tenant ? 'corporate' : 'standard';
  const { token, tokenHash } = newInviteToken();
  const expiresAt = new Date(Date.now() + deps.config.INVITE_TTL);
  const dedupeKey = [actor.id, input.email, `hub:${input.hubId ?? ''}`, `file:${input.fileId ?? ''}`, `contact:${input.asContact}`].join(
    '|',
  );
  const fresh: Fresh = { tokenHash, expiresAt, kind, tenantId: tenant?.tenantId, ...(target.hubId && { hubRole: input.hubRole }) };

  let resent = true;
  let invite = await resend(dedupeKey, fresh);
  if (!invite) {
    try {
      invite = await InviteModel.create({
        ...fresh,
        dedupeKey,
        email: input.email,
        inviterId: actor.id,
        hubId: target.hubId,
        fileId: target.fileId,
        asContact: input.asContact,
      });
      resent = false;
    } catch (err) {
      // A concurrent send of the same invite won the insert: re-send that one instead.
      if (!isDuplicateKey(err) || !(invite = await resend(dedupeKey, fresh))) throw err;
    }
  }

  const view = await inviteView(invite);
  const url = `${deps.config.PUBLIC_BASE_URL}${inviteLinkPath(kind, token)}`;
  const body = inviteEmail({ inviter: view.inviter.name, what: view.what, url, expiresAt, organisation: tenant?.name });
  await deps.mailer.send({ key: `invite:${invite.id}:${tokenHash.slice(0, 16)}`, to: [input.email], template: `invite-${kind}`, ...body });
  await audit({
    ...auditedBy(actor),
    action: resent ? 'invite.resent' : 'invite.created',
    outcome: 'success',
    target: { type: 'invite', id: invite.id },
    tenantId: tenant?.tenantId,
    details: {
      email: input.email,
      kind,
      hubId: view.hub?.id,
      hubRole: view.hubRole,
      fileId: view.file?.id,
      asContact: view.asContact,
      expiresAt,
    },
  });
  return { invite: view, resent };
}

interface Fresh {
  tokenHash: string;
  expiresAt: Date;
  kind: 'corporate' | 'standard';
  tenantId?: string;
  hubRole?: 'admin' | 'member';
}

/** New token, expiry and (re-decided) link kind for the pending invite with this key. */
function resend(dedupeKey: string, { tenantId, ...fresh }: Fresh): Promise<InviteDoc | null> {
  const update = tenantId ? { $set: { ...fresh, tenantId } } : { $set: fresh, $unset: { tenantId: 1 } };
  return InviteModel.findOneAndUpdate({ dedupeKey, status: 'pending' }, update, { returnDocument: 'after' });
}

/** May the inviter give this, and is there anything left to give? */
async function checkTarget(actor: Actor, input: InviteInput) {
  const invitee = await UserModel.findOne({ email: input.email, status: 'active' }, { _id: 1 }).lean();
  let hubId;
  if (input.hubId) {
    const { hub, role } = await hubFor(actor, input.hubId, 'manage-members');
    if (!mayAssignRole(role, undefined, input.hubRole))
      await deny(actor, 'invite.create', { type: 'hub', id: String(hub._id) }, 'Only hub owners can invite admins.');
    if (invitee && (await HubMembershipModel.exists({ hubId: hub._id, userId: invitee._id })))
      throw conflict(`${input.email} is already a member of the hub "${hub.name}".`);
    hubId = hub._id;
  }
  const fileId = input.fileId ? (await fileFor(actor, input.fileId, 'share')).file._id : undefined;
  if (input.asContact && !hubId && !fileId && (await ContactModel.exists({ ownerId: actor.id, email: input.email }))) {
    throw conflict(`${input.email} is already one of your contacts.`);
  }
  return { hubId, fileId };
}
