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
 * How a tenancy's IdP is read (lib/idp/settings.ts validates it; the IdP entity ID, URLs,
 * certificates and signing are in `saml`). Absent on records stored before connection kinds:
 * those are Entra (lib/idp/fill-connections.ts writes it at worker start).
 */
const connectionSchema = new Schema(
  {
    kind: { type: String, enum: ['entra', 'okta', 'saml'], required: true },
    ssoBinding: { type: String, enum: ['redirect', 'post'], required: true },
    nameIdFormat: { type: String, enum: ['unspecified', 'email', 'persistent'], required: true },
    /** The claim mapping (lib/idp/settings.ts claimMappingSchema), validated before it is stored. */
    claims: { type: Schema.Types.Mixed, required: true },
    /** Non-Entra: where the metadata exchange fetched the IdP's metadata (the connection re-reads it). */
    metadataUrl: String,
    /** The settings replaced by the last change, whole, for rollback (lib/idp/store.ts). */
    previous: Schema.Types.Mixed,
    changedAt: Date,
  },
  { _id: false },
);

/**
 * A customer organisation connected (or being connected) by its Entra tenant. The
 * onboarding workflow owns the stage; the SAML block is what the SP uses at sign-in.
 */
const tenantSchema = new Schema(
  {
    /**
     * The tenancy's organisation ID, the key of its URLs, workflow IDs and data. An Entra
     * tenancy's is its Entra tenant ID; other kinds get a random GUID at creation.
     */
    tenantId: { type: String, required: true, unique: true, lowercase: true },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    adminEmails: { type: [String], default: [] },
    stage: { type: String, enum: ONBOARDING_STAGES, required: true, default: 'requested' },
    /** Domains whose users must use SSO; enforced only while `stage === 'live'`. */
    domains: { type: [String], default: [] },
    /** Optional group gate: Entra group object IDs allowed to sign in (empty = everyone). */
    allowedGroups: { type: [String], default: [] },
    /** App roles (`role` claim values) that let a user in, as an alternative to the allowed groups. */
    allowedRoles: { type: [String], default: [] },
    /** Users with one of these groups or app roles are the tenancy's admins (set and cleared at each sign-in). */
    adminGroups: { type: [String], default: [] },
    adminRoles: { type: [String], default: [] },
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
    connection: connectionSchema,
    /** Bumped on every change the SAML strategy cache must notice. */
    configVersion: { type: Number, required: true, default: 0 },
    liveAt: Date,
  },
  { timestamps: true },
);

export type Tenant = InferSchemaType<typeof tenantSchema>;
export const TenantModel = model('Tenant', tenantSchema);
