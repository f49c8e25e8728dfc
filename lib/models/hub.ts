import './echo-guard';
import { Schema, model, Types, type InferSchemaType } from 'mongoose';

export const HUB_ROLES = ['owner', 'admin', 'member'] as const;
export type HubRole = (typeof HUB_ROLES)[number];

const hubSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 200 },
    createdBy: { type: Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true },
);

const hubMembershipSchema = new Schema(
  {
    hubId: { type: Types.ObjectId, ref: 'Hub', required: true },
    userId: { type: Types.ObjectId, ref: 'User', required: true, index: true },
    role: { type: String, enum: HUB_ROLES, required: true },
  },
  { timestamps: true },
);
hubMembershipSchema.index({ hubId: 1, userId: 1 }, { unique: true });

export type Hub = InferSchemaType<typeof hubSchema>;
export type HubMembership = InferSchemaType<typeof hubMembershipSchema>;
export const HubModel = model('Hub', hubSchema);
export const HubMembershipModel = model('HubMembership', hubMembershipSchema);
