import './echo-guard';
import { Schema, model } from 'mongoose';

/**
 * The directory of the portal's user list (lib/models/user-list-keys.ts): which buckets of
 * users exist, so a page walks them in email order by equality look-ups alone. Two levels:
 * a scope's groups (`parent` = the scope) and a group's buckets (`parent` = scope|group).
 * Entries are only ever inserted (by `_id`, so concurrent writers cannot duplicate them) and
 * never removed: a bucket emptied by deletions costs one look-up that finds nobody.
 */
const userListBucketSchema = new Schema(
  {
    _id: { type: String, required: true },
    parent: { type: String, required: true },
  },
  { versionKey: false },
);
userListBucketSchema.index({ parent: 1 });

export const UserListBucketModel = model('UserListBucket', userListBucketSchema, 'userlistbuckets');
