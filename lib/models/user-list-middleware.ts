import type { Query, Schema } from 'mongoose';
import { listFieldsOf, nameKeysOf, recordListBuckets, type Listed } from './user-list-keys';

type Fields = Record<string, unknown>;
type Update = Fields & { $set?: Fields; $setOnInsert?: Fields; $unset?: Fields };

/**
 * Keeps a user's list keys (user-list-keys.ts) true on every write that sets its email,
 * tenancy or display name, whatever the path (registration, SSO provisioning, migration, SCIM,
 * staff accounts, the tombstone): the keys are written in the same operation as the email or
 * name, and the directory is written first, so a user is never in a bucket the directory does
 * not list. Writes that set none of them (the hot path: a returning user's sign-in) cost
 * nothing more.
 */
export function maintainListKeys(schema: Schema): void {
  schema.pre('save', async function () {
    if (!this.isNew && !this.isModified('email') && !this.isModified('tenantId') && !this.isModified('displayName')) return;
    const email = this.get('email') as string;
    const displayName = this.get('displayName') as string | undefined;
    this.set({ ...listFieldsOf(email), nameKeys: displayName ? nameKeysOf(displayName) : undefined });
    await recordListBuckets([{ email, tenantId: this.get('tenantId') as string | undefined, displayName }]);
  });

  const beforeUpdate = (many: boolean) =>
    async function (this: Query<unknown, unknown>) {
      const update = this.getUpdate() as Update | null;
      if (!update || Array.isArray(update)) return;
      // The operators that set the email and the name (mongoose also takes top-level fields as $set).
      const operators = [update.$set, update.$setOnInsert, update];
      const home = operators.find((f) => f && typeof f.email === 'string');
      const nameHome = operators.find((f) => f && typeof f.displayName === 'string');
      const displayName = nameHome?.displayName as string | undefined;
      if (nameHome) nameHome.nameKeys = nameKeysOf(displayName);
      else if (update.$unset && 'displayName' in update.$unset) update.$unset.nameKeys = 1;
      const listed: Listed[] = displayName ? [{ displayName }] : [];
      const tenantId = update.$set?.tenantId ?? update.tenantId;
      if (home || typeof tenantId === 'string') listed.push(...(await afterEmailWrite.call(this, many, home, tenantId)));
      if (listed.length) await recordListBuckets(listed);
    };
  schema.pre(['updateOne', 'findOneAndUpdate'], beforeUpdate(false));
  schema.pre('updateMany', beforeUpdate(true));
}

/** Sets the email's keys beside it; what the write leaves: its own values, the stored ones for what it does not set. */
async function afterEmailWrite(
  this: Query<unknown, unknown>,
  many: boolean,
  home: Fields | undefined,
  tenantId: unknown,
): Promise<Listed[]> {
  const email = home?.email as string | undefined;
  if (email !== undefined) Object.assign(home!, listFieldsOf(email.trim().toLowerCase()));
  const stored =
    email !== undefined && typeof tenantId === 'string'
      ? []
      : await this.model
          .find(this.getFilter(), { email: 1, tenantId: 1 })
          .limit(many ? 0 : 1)
          .lean<Fields[]>();
  return (stored.length ? stored : [{}]).map((doc) => ({
    email: (email?.trim().toLowerCase() ?? doc.email) as string | undefined,
    tenantId: (typeof tenantId === 'string' ? tenantId : doc.tenantId) as string | undefined,
  }));
}
