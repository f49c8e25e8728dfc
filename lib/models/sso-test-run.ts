import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * A test sign-in a tenancy admin started from the portal (lib/portal/test-sign-in.ts): its
 * AuthnRequest ID names it (lib/saml/request-ids.ts), and the ACS records here what the
 * sign-in would have done, success or the exact refusal, instead of signing anyone in.
 */
const testResultSchema = new Schema(
  {
    outcome: { type: String, enum: ['success', 'refused'], required: true },
    at: { type: Date, required: true },
    /** Refused: the reason code, and the message with expected and received values. */
    reason: String,
    message: String,
    /** The `saml.rejected` audit event (refused). */
    reference: String,
    /** Who the IdP said signed in, when the assertion got that far. */
    email: String,
    objectId: String,
    displayName: String,
    groups: { type: [String], default: undefined },
  },
  { _id: false },
);

const ssoTestRunSchema = new Schema({
  tenantId: { type: String, required: true, index: true },
  startedBy: {
    type: new Schema({ userId: { type: String, required: true }, email: { type: String, required: true } }, { _id: false }),
    required: true,
  },
  startedAt: { type: Date, required: true, default: () => new Date() },
  result: testResultSchema,
});

export type SsoTestRun = InferSchemaType<typeof ssoTestRunSchema>;
export type SsoTestResult = InferSchemaType<typeof testResultSchema>;
export const SsoTestRunModel = model('SsoTestRun', ssoTestRunSchema);
