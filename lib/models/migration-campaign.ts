import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';
import { CAMPAIGN_STATUSES } from '../contracts/migration-campaign';

/** The campaign as its workflow last recorded it (status, deadline, progress), for lists and sign-in. */
const migrationCampaignSchema = new Schema(
  {
    tenantId: { type: String, required: true, lowercase: true },
    domain: { type: String, required: true, lowercase: true },
    status: { type: String, enum: CAMPAIGN_STATUSES, required: true },
    deadline: Date,
    progress: { migrated: Number, remaining: Number },
  },
  { timestamps: true },
);
migrationCampaignSchema.index({ tenantId: 1, domain: 1 }, { unique: true });

export type MigrationCampaign = InferSchemaType<typeof migrationCampaignSchema>;
export const MigrationCampaignModel = model('MigrationCampaign', migrationCampaignSchema);
