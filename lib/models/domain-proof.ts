import './echo-guard';
import { Schema, model, type InferSchemaType } from 'mongoose';
import { DNS_CHECK_OUTCOMES, DOMAIN_PROOF_STATUSES } from '../contracts/domain-proof';

/**
 * A tenancy's proof that it owns a domain (lib/domains/proofs.ts). The `domainProof` workflow
 * owns `status` and `lastCheck`; one proof per (tenancy, domain).
 */
const domainProofSchema = new Schema(
  {
    tenantId: { type: String, required: true, lowercase: true },
    domain: { type: String, required: true, lowercase: true },
    token: { type: String, required: true },
    status: { type: String, enum: DOMAIN_PROOF_STATUSES, required: true, default: 'pending' },
    proposedBy: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    lastCheck: { at: Date, outcome: { type: String, enum: DNS_CHECK_OUTCOMES }, detail: String, ms: Number },
    checks: { type: Number, default: 0 },
    verifiedAt: Date,
    override: { by: String, reason: String, at: Date },
    /** Why a proof was refused (another tenancy verified the domain first). */
    refusal: String,
  },
  { timestamps: true },
);
domainProofSchema.index({ tenantId: 1, domain: 1 }, { unique: true });

export type DomainProof = InferSchemaType<typeof domainProofSchema>;
export const DomainProofModel = model('DomainProof', domainProofSchema);

/**
 * One row per domain some tenancy proved (by DNS or a staff override): the unique index makes
 * "a domain another tenancy verified is refused" one atomic insert, with no transaction.
 */
const verifiedDomainSchema = new Schema(
  {
    domain: { type: String, required: true, unique: true, lowercase: true },
    tenantId: { type: String, required: true, lowercase: true },
  },
  { timestamps: true },
);
export const VerifiedDomainModel = model('VerifiedDomain', verifiedDomainSchema);
