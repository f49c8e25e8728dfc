import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

const note = { reason: String, by: String, at: Date };

/** Per-tenancy provisioning settings and brakes (defaults come from config). `_id` is the tenant ID. */
const provisioningSettingsSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Quarantine before a SCIM-deleted user is purged; unset = SCIM_QUARANTINE. */
    quarantineMs: Number,
    /** Safety valve threshold; unset = SCIM_VALVE_PERCENT. */
    valvePercent: Number,
    /** Blocks every purge of the tenancy's users while set. */
    legalHold: note,
    /** Set by the safety valve (or staff): purges wait until staff resume them. */
    purgesPaused: { ...note, deprovisioned: Number, users: Number },
    /** Bumped when purges resume: each pause (and its staff alert) belongs to one generation. */
    generation: { type: Number, required: true, default: 0 },
  },
  { timestamps: true },
);

/** One row per SCIM DELETE, counted by the safety valve over the last hour. */
const deprovisionEventSchema = new Schema({
  _id: { type: String, required: true }, // `<scimId>:<deletedAt ms>`: a replay counts once
  tenantId: { type: String, required: true },
  at: { type: Date, required: true },
});
deprovisionEventSchema.index({ tenantId: 1, at: 1 });

/** The latest reconciliation report per tenancy (`_id` = tenant ID). Reports never delete. */
const reconciliationReportSchema = new Schema({
  _id: { type: String, required: true },
  at: { type: Date, required: true },
  workflowId: String,
  ssoAccounts: Number,
  scimUsers: Number,
  neverMentioned: [{ _id: false, userId: String, email: String, createdAt: Date }],
  overdueSuspended: [{ _id: false, userId: String, scimId: String, email: String, since: Date, state: String }],
  auditEventId: String,
});

export type ProvisioningSettings = InferSchemaType<typeof provisioningSettingsSchema>;
export type ReconciliationReport = InferSchemaType<typeof reconciliationReportSchema>;
export const ProvisioningSettingsModel = model('ProvisioningSettings', provisioningSettingsSchema);
export const DeprovisionEventModel = model('DeprovisionEvent', deprovisionEventSchema);
export const ReconciliationReportModel = model('ReconciliationReport', reconciliationReportSchema);
