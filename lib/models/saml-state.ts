import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * Issued AuthnRequest IDs, shared by every web process: InResponseTo must be one of ours, for
 * this tenant, still fresh. Each is answered once: that is a claim (`saml-request:…` in
 * `claims`, lib/saml/checks/replay.ts), as is each accepted assertion ID (`saml-assertion:…`).
 */
const samlRequestSchema = new Schema({
  requestId: { type: String, required: true, unique: true },
  tenantId: { type: String, required: true },
  createdAt: { type: Date, required: true, default: () => new Date() },
  /** Rows go after it (lib/expiry.ts). */
  expiresAt: { type: Date, required: true },
});

export type SamlRequest = InferSchemaType<typeof samlRequestSchema>;
export const SamlRequestModel = model('SamlRequest', samlRequestSchema);
