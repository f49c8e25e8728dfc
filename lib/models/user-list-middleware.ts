import type { Query, Schema } from 'mongoose';
import { listFieldsOf, recordListBuckets } from './user-list-keys';

type Fields = Record<string, unknown>;
type Update = Fields & { $set?: Fields; $setOnInsert?: Fields };

/**
 * Keeps a user's list keys (user-list-keys.ts) true on every write that sets its email or
 * tenancy, whatever the path (registration, SSO provisioning, migration, SCIM, staff accounts,
 * the tombstone): the keys are written in the same operation as the email, and the directory
 * is written first, so a user is never in a bucket the directory does not list. Writes that
 * set neither (the hot path: a returning user's sign-in) cost nothing more.
 */
export function maintainListKeys(schema: Schema): void {
  schema.pre('save', async function () {
    if (!this.isNew && !this.isModified('email') && !this.isModified('tenantId')) return;
    const email = this.get('email') as string;
    this.set(listFieldsOf(email));
    await recordListBuckets([{ email, tenantId: this.get('tenantId') as string | undefined }]);
  });

  const beforeUpdate = (many: boolean) =>
    async function (this: Query<unknown, unknown>) {
      const update = this.getUpdate() as Update | null;
      if (!update || Array.isArray(update)) return;
      // The operator that sets the email (mongoose also takes top-level fields as $set).
      const home = [update.$set, update.$setOnInsert, update].find((f) => f && typeof f.email === 'string');
      const tenantId = update.$set?.tenantId ?? update.tenantId;
      if (!home && typeof tenantId !== 'string') return;
      const email = home?.email as string | undefined;
      if (email !== undefined) Object.assign(home!, listFieldsOf(email.trim().toLowerCase()));
      // What the write leaves: its own values, the stored ones for what it does not set.
      const stored =
        email !== undefined && typeof tenantId === 'string'
          ? []
          : await this.model
              .find(this.getFilter(), { email: 1, tenantId: 1 })
              .limit(many ? 0 : 1)
              .lean<Fields[]>();
      const after = (stored.length ? stored : [{}]).map((doc) => ({
        email: (email?.trim().toLowerCase() ?? doc.email) as string | undefined,
        tenantId: (typeof tenantId === 'string' ? tenantId : doc.tenantId) as string | undefined,
      }));
      await recordListBuckets(after);
    };
  schema.pre(['updateOne', 'findOneAndUpdate'], beforeUpdate(false));
  schema.pre('updateMany', beforeUpdate(true));
}
