/**
 * Portal invitations for an onboarding's admin contacts: issued by the onboarding's consent
 * email activity (idempotent: one record per onboarding run and email, the same link on a
 * retry) and re-issued by staff (a new generation voids the old link, audited).
 */
import type { Config } from '../config';
import { audit } from '../audit';
import { conflict, notFound } from '../errors';
import type { Mailer } from '../mailer';
import { PortalInviteModel, TenantModel } from '../models';
import { signInviteToken } from './invite-token';
import { portalInviteEmail } from './invite-email';

/** The onboarding is over once the tenancy is live or cancelled: no invitation works after that. */
export const ONBOARDING_ENDED = ['live', 'cancelled'] as const;

export const portalInviteUrl = (config: Pick<Config, 'PUBLIC_BASE_URL' | 'SESSION_SECRET'>, id: string, generation: number) =>
  `${config.PUBLIC_BASE_URL}/portal/invite/${signInviteToken(config.SESSION_SECRET, id, generation)}`;

interface Onboarding {
  tenantId: string;
  orgName: string;
  onboardingRunId: string;
  adminEmails: string[];
}

/**
 * Emails each admin contact their invitation, once per onboarding run (mail key by record and
 * generation). Invitations of an earlier onboarding of the tenancy are voided.
 */
export async function sendPortalInvites(config: Config, mailer: Mailer, o: Onboarding): Promise<{ sent: number }> {
  const tenantId = o.tenantId.toLowerCase();
  await PortalInviteModel.updateMany(
    { tenantId, onboardingRunId: { $ne: o.onboardingRunId }, voidedAt: null },
    { $set: { voidedAt: new Date() } },
  );
  let sent = 0;
  for (const raw of o.adminEmails) {
    const email = raw.trim().toLowerCase();
    const invite = await PortalInviteModel.findOneAndUpdate(
      { tenantId, onboardingRunId: o.onboardingRunId, email },
      { $setOnInsert: { generation: 1, issuedAt: new Date(), issuedBy: 'onboarding' } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    if (await mailInvite(config, mailer, { ...invite, _id: String(invite._id), orgName: o.orgName })) sent++;
  }
  return { sent };
}

async function mailInvite(
  config: Config,
  mailer: Mailer,
  invite: { _id: string; email: string; generation: number; orgName: string },
): Promise<boolean> {
  const url = portalInviteUrl(config, invite._id, invite.generation);
  const body = portalInviteEmail({ orgName: invite.orgName, email: invite.email, url });
  const { sent } = await mailer.send({
    key: `portal-invite:${invite._id}:${invite.generation}`,
    to: [invite.email],
    template: 'portal-invite',
    ...body,
  });
  return sent;
}

/** Staff send a fresh link to one invited admin: the previous link stops working. */
export async function reissuePortalInvite(
  config: Config,
  mailer: Mailer,
  input: { tenantId: string; email: string },
  staff: { email: string; id: string },
): Promise<{ generation: number }> {
  const tenantId = input.tenantId.toLowerCase();
  const email = String(input.email ?? '')
    .trim()
    .toLowerCase();
  const tenant = await TenantModel.findOne({ tenantId }, { name: 1, stage: 1 }).lean();
  if (!tenant) throw notFound(`No tenant ${tenantId}.`);
  if ((ONBOARDING_ENDED as readonly string[]).includes(tenant.stage))
    throw conflict(`The onboarding of ${tenant.name} has ended (${tenant.stage}); portal invitations no longer apply.`);
  const invite = await PortalInviteModel.findOneAndUpdate(
    { tenantId, email, voidedAt: null },
    { $inc: { generation: 1 }, $set: { issuedAt: new Date(), issuedBy: staff.email }, $unset: { usedAt: 1, usedBy: 1 } },
    { returnDocument: 'after', sort: { issuedAt: -1 } },
  ).lean();
  if (!invite) throw notFound(`${email} has no portal invitation for this tenancy.`);
  await mailInvite(config, mailer, { ...invite, _id: String(invite._id), orgName: tenant.name });
  await audit({
    action: 'portal.invite-reissued',
    outcome: 'success',
    actor: { kind: 'staff', userId: staff.id, email: staff.email },
    target: { type: 'portal-invite', id: String(invite._id) },
    tenantId,
    details: { email, generation: invite.generation },
  });
  return { generation: invite.generation };
}

/** The invitations of the tenancy's current onboarding, for the staff page. */
export const listPortalInvites = (tenantId: string) =>
  PortalInviteModel.find({ tenantId: tenantId.toLowerCase(), voidedAt: null }).sort({ email: 1 }).limit(100).lean();
