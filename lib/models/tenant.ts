import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';
import { ONBOARDING_STAGES } from '../contracts/shared';

const certificateSchema = new Schema(
  {
    pem: { type: String, required: true },
    /** SHA-1 thumbprint, upper-case hex, as Entra shows it. */
    thumbprint: { type: String, required: true },
    notBefore: Date,
    notAfter: { type: Date, required: true },
    /** Set by the connection's metadata refresh (lib/connection/certificate-set.ts). */
    stagedAt: Date,
    unpublishedAt: Date,
    /** The first sign-in verified with this (staged) certificate: rollover proof. */
    provenAt: Date,
  },
  { _id: false },
);

/**
 * A customer organisation connected (or being connected) by its Entra tenant. The
 * onboarding workflow owns the stage; the SAML block is what the SP uses at sign-in.
 */
const tenantSchema = new Schema(
  {
    tenantId: { type: String, required: true, unique: true, lowercase: true },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    adminEmails: { type: [String], default: [] },
    stage: { type: String, enum: ONBOARDING_STAGES, required: true, default: 'requested' },
    /** Domains whose users must use SSO; enforced only while `stage === 'live'`. */
    domains: { type: [String], default: [] },
    /** Optional group gate: Entra group object IDs allowed to sign in (empty = everyone). */
    allowedGroups: { type: [String], default: [] },
    /** Sign-ins must show multi-factor authentication in authnmethodsreferences (lib/sso/access-policy.ts). */
    requireMfa: { type: Boolean, default: false },
    /** Sign-ins started at Entra (My Apps) are accepted: unsolicited responses (lib/saml/checks/entra.ts). */
    allowIdpInitiated: { type: Boolean, default: false },
    consentGrantedAt: Date,
    /** When `stage` last changed (kept by the onboarding workflow's stage activity). */
    stageChangedAt: Date,
    /**
     * The admin-consent link currently out (onboarding). `nonce` is in the link's signed
     * `state`; the callback consumes it once by setting `usedAt` atomically.
     */
    consentRequest: {
      key: String, // `<workflow run ID>:<round>`: the activity that issued it, for idempotency
      round: Number,
      nonce: String,
      issuedAt: Date,
      expiresAt: Date,
      usedAt: Date,
    },
    saml: {
      idpEntityId: String,
      ssoUrl: String,
      sloUrl: String,
      certificates: { type: [certificateSchema], default: [] },
      /** What Entra signs: 'assertion' is Entra's default. */
      signing: { type: String, enum: ['assertion', 'response', 'both'], default: 'assertion' },
      appId: String,
      configuredAt: Date,
    },
    /** Bumped on every change the SAML strategy cache must notice. */
    configVersion: { type: Number, required: true, default: 0 },
    liveAt: Date,
  },
  { timestamps: true },
);

export type Tenant = InferSchemaType<typeof tenantSchema>;
export const TenantModel = model('Tenant', tenantSchema);
