import { SsoIdentityModel, UserModel, type User } from '../models';
import { SamlRejection } from '../saml/rejection';
import type { TenantSaml } from '../saml/tenant-config';
import { emailInNominatedDomains } from './access-policy';
import type { SsoClaims } from './claims';
import { bindIdentity } from './identity-binding';
import { provisionSsoUser, type Provisioned } from './provisioning';
import { accountLinkedForMigration } from '../scim/directory-links';

/**
 * Which Entrada account a verified Entra identity signs in to, and what must happen first.
 * An identity is bound to (tenant, object ID); the email matters only at first contact,
 * and only inside the tenant's nominated domains.
 */
export type ResolvedUser = User & { _id: unknown };

export type SsoResolution =
  /** `user` is the account as just read, when it was (saves the sign-in a second read). */
  | { kind: 'ready'; userId: string; user?: ResolvedUser; provisioned?: Provisioned }
  /** A standard account (or one mid-upgrade): the migration workflow links it. */
  | { kind: 'migrate'; userId: string }
  /** The email belongs to an account that must be deleted before a fresh one is made. */
  | { kind: 'replace'; oldUserId: string; recreated: boolean };

export async function resolveSsoUser(tenant: TenantSaml, claims: SsoClaims): Promise<SsoResolution> {
  const key = `${tenant.tenantId}:${claims.objectId}`;
  const known = bindings.get(key);
  if (known) {
    // The account decides, read fresh: a binding whose account is no longer usable is
    // forgotten and the identity read again (a deletion tombstones both).
    const user = await UserModel.findById(known).lean();
    if (user?.status === 'active' || user?.status === 'migrating') return whenBound(known, user);
    bindings.delete(key);
  }
  // A read, not a write: on the hot path every write counts (sign-in times are in the audit log).
  const bound = await SsoIdentityModel.findOne(
    { tenantId: tenant.tenantId, objectId: claims.objectId, status: 'active' },
    { userId: 1 },
  ).lean();
  if (!bound) {
    const resolved = await firstContact(tenant, claims, 1);
    // Ready at first contact means the identity is bound now (provisioned, or its binding finished).
    if (resolved.kind === 'ready') remember(key, resolved.userId);
    return resolved;
  }
  const userId = String(bound.userId);
  remember(key, userId);
  return whenBound(userId, await UserModel.findById(userId).lean());
}

/**
 * Bindings seen by this process, (tenant, object ID) → user ID. A binding never moves to
 * another account (a recreated Entra account has a new object ID, a deleted identity stays a
 * tombstone), so a returning user's sign-in needs the account alone, not the identity too.
 */
const bindings = new Map<string, string>();
function remember(key: string, userId: string) {
  if (bindings.size >= 50_000) bindings.delete(bindings.keys().next().value!);
  bindings.set(key, userId);
}

function whenBound(userId: string, user: ResolvedUser | null): SsoResolution {
  if (user?.status === 'active') return { kind: 'ready', userId, user };
  if (user?.status === 'migrating') return { kind: 'migrate', userId };
  if (user?.status === 'suspended') throw suspended();
  throw new SamlRejection('account-unavailable', 'The account bound to this identity is not active', 'active', user?.status ?? 'missing');
}

async function firstContact(tenant: TenantSaml, claims: SsoClaims, retries: number): Promise<SsoResolution> {
  emailInNominatedDomains(tenant, claims.email);
  // A standard account the directory linked to this Entra object (SCIM), even if its address changed since.
  const linked = await accountLinkedForMigration(tenant.tenantId, claims.objectId);
  if (linked) return { kind: 'migrate', userId: linked };
  const user = await UserModel.findOne({ email: claims.email }, { kind: 1, status: 1, tenantId: 1 }).lean();
  if (!user) {
    const provisioned = await provisionSsoUser(tenant.tenantId, claims);
    if (provisioned) return { kind: 'ready', userId: provisioned.userId, provisioned };
    if (retries > 0) return firstContact(tenant, claims, retries - 1); // lost a race to a parallel first sign-in
    throw new SamlRejection('account-unavailable', 'Could not create the account', 'a new user', claims.email);
  }
  const userId = String(user._id);
  if (user.tenantId && user.tenantId !== tenant.tenantId) {
    throw new SamlRejection(
      'email-bound-to-other-tenant',
      'The email belongs to an account of another tenant',
      tenant.tenantId,
      user.tenantId,
    );
  }
  if (user.status === 'deleting') return { kind: 'replace', oldUserId: userId, recreated: user.kind === 'sso' };
  if (user.status === 'deleted') throw new SamlRejection('account-unavailable', 'The account was deleted', 'active', 'deleted');
  // Suspended by the directory (SCIM): kept as it is, never replaced by a sign-in, until SCIM restores or deprovisions it.
  if (user.status === 'suspended') throw suspended();
  if (user.kind === 'standard') return { kind: 'migrate', userId };

  // An SSO user of this tenant reached by email, not by object ID.
  const identities = await SsoIdentityModel.countDocuments({ userId: user._id });
  if (identities === 0 && user.status === 'active') {
    // Its provisioning stopped between creating the user and binding the identity.
    await bindIdentity(tenant.tenantId, claims, userId);
    return { kind: 'ready', userId };
  }
  // Same email, other object ID: the Entra account was deleted and recreated. Never merged.
  return { kind: 'replace', oldUserId: userId, recreated: true };
}

const suspended = () =>
  new SamlRejection('account-suspended', "The account was suspended by the organisation's directory", 'active', 'suspended');
