import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

/** Keys of "exactly once" transitions (see lib/claims.ts). */
const claimSchema = new Schema({
  key: { type: String, required: true, unique: true },
  at: { type: Date, required: true, default: () => new Date() },
  /** Locks expire so a crashed holder cannot block forever; spent claims are deleted after it (lib/expiry.ts). */
  expiresAt: { type: Date, required: true },
});

export type Claim = InferSchemaType<typeof claimSchema>;
export const ClaimModel = model('Claim', claimSchema);
