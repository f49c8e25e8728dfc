/**
 * Which Entrada account a SCIM user is, and keeping it in step. The identity rules of SSO hold:
 * an account is bound to (tenant, object ID), never found by email alone, except at first
 * contact inside the tenancy's nominated domains.
 */
import { Types } from 'mongoose';
import { audit } from '../audit';
import { SsoIdentityModel, UserModel } from '../models';
import { bindIdentity } from '../sso/identity-binding';
import type { AccountFields } from './account-fields';
import { uniqueness } from './errors';

export interface AccountChoice {
  userId: string;
  /** provisioned: new SSO account; adopted: already bound to this object ID; migration: a standard account, linked until its first SSO sign-in. */
  link: 'provisioned' | 'adopted' | 'migration';
}

const isDuplicate = (err: unknown) => (err as { code?: number })?.code === 11000;

/**
 * Finds or makes the account for a new SCIM user. `plannedId` is the ID a new account gets
 * (already written on the SCIM record, so a retried create after a crash makes the same one).
 */
export async function accountForScimUser(
  tenantId: string,
  objectId: string,
  userName: string,
  fields: AccountFields,
  plannedId: Types.ObjectId,
  retries = 1,
): Promise<AccountChoice> {
  // Both at once: on the initial sync this is every create's only read.
  const [bound, existing] = await Promise.all([
    SsoIdentityModel.findOne({ tenantId, objectId, status: 'active' }, { userId: 1 }).lean(),
    UserModel.findOne({ email: fields.email }, { kind: 1, status: 1, tenantId: 1 }).lean(),
  ]);
  if (bound) {
    const user = await UserModel.findById(bound.userId, { status: 1 }).lean();
    if (user?.status === 'deleting' || user?.status === 'deleted')
      throw uniqueness(`the account of object ${objectId} is being deleted; send the user again once that finished`);
    return { userId: String(bound.userId), link: 'adopted' };
  }
  if (!existing || String(existing._id) === String(plannedId)) return provision(tenantId, objectId, userName, fields, plannedId, retries);

  const userId = String(existing._id);
  if (existing.tenantId && existing.tenantId !== tenantId) throw uniqueness(`${fields.email} belongs to an account of another tenancy`);
  if (existing.kind === 'standard' && (existing.status === 'active' || existing.status === 'migrating')) {
    // Never a duplicate: the person's own account is upgraded, with everything in it, at their first SSO sign-in.
    return { userId, link: 'migration' };
  }
  if (
    existing.kind === 'sso' &&
    existing.status === 'active' &&
    (await SsoIdentityModel.countDocuments({ userId: existing._id, status: 'active' })) === 0
  ) {
    // An SSO account whose provisioning stopped before its identity was bound.
    await bindIdentity(tenantId, { objectId, nameId: userName, email: fields.email }, userId);
    return { userId, link: 'adopted' };
  }
  throw uniqueness(
    `${fields.email} belongs to another account (${existing.kind}, ${existing.status}) bound to a different Entra object: deprovision that one first`,
  );
}

async function provision(
  tenantId: string,
  objectId: string,
  userName: string,
  fields: AccountFields,
  plannedId: Types.ObjectId,
  retries: number,
): Promise<AccountChoice> {
  const at = new Date();
  let created = true;
  try {
    await UserModel.create({ _id: plannedId, ...fields, kind: 'sso', status: 'active', tenantId, emailConfirmedAt: at, lastSignInAt: at });
  } catch (err) {
    created = false;
    if (!isDuplicate(err)) throw err;
    const mine = await UserModel.exists({ _id: plannedId });
    // Lost a race for the email (a parallel sign-in or create): decide again with that account in place.
    if (!mine) {
      if (retries > 0) return accountForScimUser(tenantId, objectId, userName, fields, plannedId, retries - 1);
      throw uniqueness(`${fields.email} was just taken by another account`);
    }
  }
  // A retried create after a crash finds the account made by the first attempt: the binding's time is written to it.
  await bindIdentity(
    tenantId,
    { objectId, nameId: userName, email: fields.email },
    plannedId,
    created ? { at, onUser: 'written' } : { at },
  );
  return { userId: String(plannedId), link: 'provisioned' };
}

/**
 * True when SCIM controls the account: it is bound to (tenant, object ID). A standard account
 * only linked by email is the person's own until they sign in by SSO: SCIM never changes,
 * suspends or deletes it before then (it cannot be sure it is the same person).
 */
export async function isControlled(tenantId: string, objectId: string, userId: string | Types.ObjectId): Promise<boolean> {
  const bound = await SsoIdentityModel.findOne({ tenantId, objectId, status: 'active' }, { userId: 1 }).lean();
  return Boolean(bound && String(bound.userId) === String(userId));
}

/** Name and email changes reach the account; an email taken by another account is a 409 and changes nothing. */
export async function syncAccountFields(
  tenantId: string,
  objectId: string,
  userId: string | Types.ObjectId,
  before: AccountFields,
  after: AccountFields,
): Promise<void> {
  const changes = Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k as keyof AccountFields] !== v));
  const cleared = (['displayName', 'givenName', 'surname'] as const).filter((k) => before[k] !== undefined && after[k] === undefined);
  if (Object.keys(changes).length === 0 && cleared.length === 0) return;
  if (changes.email) {
    const holder = await UserModel.findOne({ email: changes.email }, { _id: 1 }).lean();
    if (holder && String(holder._id) !== String(userId)) throw uniqueness(`${changes.email} belongs to another account`);
  }
  try {
    await UserModel.updateOne(
      { _id: userId },
      { $set: changes, ...(cleared.length ? { $unset: Object.fromEntries(cleared.map((k) => [k, 1])) } : {}) },
    );
  } catch (err) {
    if (isDuplicate(err)) throw uniqueness(`${changes.email} belongs to another account`);
    throw err;
  }
  if (changes.email) await SsoIdentityModel.updateOne({ tenantId, objectId, status: 'active' }, { $set: { email: changes.email } });
  await audit({
    action: 'scim.user.updated',
    outcome: 'success',
    actor: { kind: 'system' },
    target: { type: 'user', id: String(userId) },
    tenantId,
    details: {
      objectId,
      changed: [...Object.keys(changes), ...cleared],
      ...(changes.email ? { emailFrom: before.email, emailTo: changes.email } : {}),
    },
  });
}

export const newUserId = () => new Types.ObjectId();
