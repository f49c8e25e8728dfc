/**
 * The onboarding workflow's state: what the query returns, what the staff console renders and
 * what the workflow returns when it ends. Pure data, safe in the workflow bundle.
 */
import type { OnboardingStage, TestEvidence, TestItem } from './shared';
import type { ConnectionTemplate } from './connection-template';

export interface OnboardingInput {
  tenantId: string;
  orgName: string;
  adminEmails: string[];
  /** Domains the customer proposes; claimed when testing starts (each may be refused). */
  proposedDomains: string[];
  /**
   * A non-Entra connection (Okta, any SAML IdP): its kind and choices. Such an onboarding has a
   * metadata exchange (the `configuring` stage: we give our SP metadata, the customer gives
   * the IdP's by URL or XML) instead of admin consent. Absent: Entra.
   */
  connection?: ConnectionTemplate;
  /** Entrada's application ID in the customer's tenant, for `?appid=` metadata. */
  appId?: string;
  requestedBy: string;
  /** From config at start, so the timers are fixed for this run (deterministic). */
  consentReminderIntervalMs: number;
  consentExpiryMs: number;
}

export interface SamlSummary {
  idpEntityId: string;
  ssoUrl: string;
  sloUrl?: string;
  certificates: { thumbprint: string; subject: string; notAfter: string }[];
  expiredCertificates: number;
  source: 'entra' | 'upload' | 'url';
  importedAt: string;
}

export interface ChecklistEntry {
  item: TestItem;
  mandatory: boolean;
  /** Every piece of evidence received (first few kept); the item is ticked when non-empty. */
  evidence: TestEvidence[];
}

export interface TimelineEntry {
  at: string;
  event: string;
  by?: string;
  stage?: OnboardingStage;
}

export interface OnboardingState {
  input: OnboardingInput;
  stage: OnboardingStage;
  stageSince: string;
  /** For people: what the workflow waits for right now. */
  waitingFor: string;
  consent: {
    /** Each issued link is a round; re-issuing starts a new one and supersedes the old link. */
    round: number;
    /** Rounds whose request email went out. */
    sentRound: number;
    expiresAt?: string;
    remindersSent: number;
    nextReminderAt?: string;
    grantedAt?: string;
    grantAuditEventId?: string;
  };
  saml?: SamlSummary;
  metadataError?: { type: string; message: string; at: string };
  checklist: ChecklistEntry[];
  domains: string[];
  goLive?: { approvedBy: string; at: string; overrideReason?: string; missingAtApproval: TestItem[] };
  cancelled?: { by: string; reason: string; at: string };
  timeline: TimelineEntry[];
}

/**
 * Actions carry who did it; the web tier fills it from the signed-in user: a staff member, or
 * a tenancy admin acting through the portal (then `adminUserId` is set and the email is theirs).
 */
export interface StaffAction {
  staffEmail: string;
  adminUserId?: string;
}

/** The audit actor of an action: the tenancy admin (a user) or the staff member. */
export const actorOf = (a: { staffEmail: string; adminUserId?: string }) =>
  a.adminUserId ? { kind: 'user' as const, userId: a.adminUserId, email: a.staffEmail } : { kind: 'staff' as const, email: a.staffEmail };

export const WAITING_FOR: Record<OnboardingStage, string> = {
  requested: 'recording the tenant',
  'awaiting-consent': "the customer's administrator to grant admin consent",
  'consent-expired': 'staff to re-issue the consent link',
  configuring: 'federation metadata (fetch from Entra or upload XML)',
  testing: 'test evidence for every mandatory checklist item',
  'awaiting-go-live': 'staff approval to go live',
  live: 'nothing: SSO is live',
  cancelled: 'nothing: onboarding was cancelled',
};

/**
 * The workflow's signature, for typed starts and handles without importing workflow code.
 * `carried` is the state a run hands to its successor when it continues as new.
 */
export type TenantOnboardingWorkflow = (input: OnboardingInput, carried?: OnboardingState) => Promise<OnboardingState>;
