import './echo-guard';
import { Schema, model, Types, type InferSchemaType } from 'mongoose';

/** Bearer tokens for the staff JSON API, issued by the CLI; only the hash is stored. */
const staffTokenSchema = new Schema(
  {
    tokenHash: { type: String, required: true, unique: true },
    userId: { type: Types.ObjectId, ref: 'User', required: true },
    label: String,
    revokedAt: Date,
    lastUsedAt: Date,
  },
  { timestamps: true },
);

export type StaffToken = InferSchemaType<typeof staffTokenSchema>;
export const StaffTokenModel = model('StaffToken', staffTokenSchema);
