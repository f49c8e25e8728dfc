import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * A tenancy admin portal invitation: one per admin contact of one onboarding (its first run
 * ID), so a retried email activity finds the same record. The link carries an HMAC over the
 * record's ID and `generation` (lib/portal/invite-token.ts), never stored; staff re-issuing
 * bumps the generation, which voids the old link. `usedAt` is set once, atomically.
 */
const portalInviteSchema = new Schema(
  {
    tenantId: { type: String, required: true, lowercase: true },
    email: { type: String, required: true, lowercase: true, trim: true },
    onboardingRunId: { type: String, required: true },
    generation: { type: Number, required: true, default: 1 },
    issuedAt: { type: Date, required: true, default: () => new Date() },
    issuedBy: { type: String, required: true },
    usedAt: Date,
    usedBy: String,
    /** A later onboarding of the tenancy voids the earlier one's invitations. */
    voidedAt: Date,
  },
  { timestamps: true },
);
portalInviteSchema.index({ tenantId: 1, onboardingRunId: 1, email: 1 }, { unique: true });

export type PortalInvite = InferSchemaType<typeof portalInviteSchema>;
export const PortalInviteModel = model('PortalInvite', portalInviteSchema);
