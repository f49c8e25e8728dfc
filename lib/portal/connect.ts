/**
 * The portal's Connect page: what the customer's admin enters at their IdP (our SP values),
 * the signing certificates we hold for them, and their metadata import. An import is the same
 * onboarding Update staff send (lib/onboarding/actions.ts): the workflow validates it, the
 * activity imports and audits it with the admin as actor; no second import path. Each portal
 * request is audited here as well (`portal.connect`), refused or not.
 */
import { X509Certificate } from 'node:crypto';
import type { Config } from '../config';
import { audit } from '../audit';
import { EXPIRY_WARNING_DAYS } from '../contracts/connection';
import { Refusal } from '../contracts/refusal';
import { TenantModel } from '../models';
import { notFound } from '../errors';
import { runStaffAction } from '../onboarding/actions';
import type { OnboardingDeps } from '../onboarding/deps';
import type { SessionUser } from '../accounts/session-user';
import type { RequestContext } from '../accounts/context';
import { acsUrl, sloUrl, spEntityId, spMetadataUrl } from '../saml/sp-urls';

export type ConnectionKind = 'entra' | 'okta' | 'saml';
const DAY = 86_400_000;

/** What a tenancy admin may send from the portal: the metadata exchange, nothing else of staff's. */
export const PORTAL_CONNECT_ACTIONS: ReadonlySet<string> = new Set(['upload-metadata', 'fetch-metadata', 'fetch-idp-metadata']);

export interface SpValues {
  entityId: string;
  acsUrl: string;
  logoutUrl: string;
  metadataUrl: string;
}

export interface HeldCertificate {
  sha256: string;
  /** SHA-1, as Entra shows it. */
  sha1: string;
  subject: string;
  notAfter: Date;
  daysLeft: number;
  /** Within the first expiry warning (EXPIRY_WARNING_DAYS), or already expired. */
  expiring: boolean;
}

export interface ConnectInfo {
  tenantId: string;
  kind: ConnectionKind;
  sp: SpValues;
  certificates: HeldCertificate[];
  idpEntityId?: string;
  ssoUrl?: string;
}

export const spValues = (config: Pick<Config, 'PUBLIC_BASE_URL'>, tenantId: string): SpValues => ({
  entityId: spEntityId(config, tenantId),
  acsUrl: acsUrl(config, tenantId),
  logoutUrl: sloUrl(config, tenantId),
  metadataUrl: spMetadataUrl(config, tenantId),
});

export function heldCertificate(pem: string, now = new Date()): HeldCertificate {
  const x509 = new X509Certificate(pem);
  const notAfter = new Date(x509.validTo);
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY);
  return {
    sha256: x509.fingerprint256,
    sha1: x509.fingerprint.replace(/:/g, ''),
    subject: x509.subject,
    notAfter,
    daysLeft,
    expiring: daysLeft < EXPIRY_WARNING_DAYS[0],
  };
}

/**
 * The tenancy's kind of IdP: its connection's, else the onboarding's (its connection template)
 * before the metadata exchange; records from before connection kinds are Entra.
 */
export const connectionKind = (tenant: { connection?: { kind?: ConnectionKind | null } | null } | null, onboardingKind?: ConnectionKind) =>
  tenant?.connection?.kind ?? onboardingKind ?? 'entra';

/** `kind` comes from the onboarding (its connection template) when the tenancy has no connection yet. */
export async function connectInfo(
  config: Pick<Config, 'PUBLIC_BASE_URL'>,
  tenantId: string,
  onboardingKind?: ConnectionKind,
): Promise<ConnectInfo> {
  const tenant = await TenantModel.findOne({ tenantId }, { saml: 1, connection: 1 }).lean();
  return {
    tenantId,
    kind: connectionKind(tenant, onboardingKind),
    sp: spValues(config, tenantId),
    certificates: (tenant?.saml?.certificates ?? []).map((c) => heldCertificate(c.pem)),
    ...(tenant?.saml?.idpEntityId ? { idpEntityId: tenant.saml.idpEntityId } : {}),
    ...(tenant?.saml?.ssoUrl ? { ssoUrl: tenant.saml.ssoUrl } : {}),
  };
}

/** Runs one metadata action for a tenancy admin (or staff, from the portal); audited either way. */
export async function runPortalConnectAction(
  deps: OnboardingDeps,
  user: SessionUser,
  tenantId: string,
  action: string,
  body: Record<string, unknown>,
  ctx: RequestContext,
): Promise<string> {
  if (!PORTAL_CONNECT_ACTIONS.has(action)) throw notFound(`Unknown action "${action}".`);
  const asAdmin = user.tenantAdminOf.includes(tenantId);
  const record = (outcome: 'success' | 'failure', details: Record<string, unknown> = {}) =>
    audit({
      action: 'portal.connect',
      outcome,
      actor: asAdmin ? { kind: 'user', userId: user.id, email: user.email } : { kind: 'staff', userId: user.id, email: user.email },
      target: { type: 'tenant', id: tenantId },
      tenantId,
      ...ctx,
      details: { action, ...details },
    });
  try {
    const { message } = await runStaffAction(deps, tenantId, action, body, user.email, asAdmin ? user.id : undefined);
    await record('success');
    return message;
  } catch (err) {
    if (err instanceof Refusal) await record('failure', { reason: err.message });
    throw err;
  }
}
