import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * Server-side SAML state, shared by every web process:
 * - issued AuthnRequest IDs (InResponseTo must be one of ours, for this tenant, used once);
 * - seen Assertion IDs (each accepted once until it expires).
 * Both are claimed with single-document atomic operations.
 */
const samlRequestSchema = new Schema({
  requestId: { type: String, required: true, unique: true },
  tenantId: { type: String, required: true },
  createdAt: { type: Date, required: true, default: () => new Date() },
  /** Rows go after it (lib/expiry.ts). */
  expiresAt: { type: Date, required: true },
  consumedAt: Date,
});

const seenAssertionSchema = new Schema({
  /** `<tenantId>:<assertion ID>` */
  key: { type: String, required: true, unique: true },
  expiresAt: { type: Date, required: true },
});

export type SamlRequest = InferSchemaType<typeof samlRequestSchema>;
export const SamlRequestModel = model('SamlRequest', samlRequestSchema);
export const SeenAssertionModel = model('SeenAssertion', seenAssertionSchema);
