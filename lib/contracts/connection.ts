/**
 * The SSO connection of a live tenancy (`sso-connection-<tid>`): its health, its trusted
 * signing certificates and what can be said to it. Pure data and message definitions, safe in
 * the workflow bundle; web, worker and activities share them.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { StaffAction } from './onboarding-state';

export const CONNECTION_HEALTH = ['healthy', 'cert-expiring', 'cert-rolled', 'failing', 'paused'] as const;
export type ConnectionHealth = (typeof CONNECTION_HEALTH)[number];
export const ConnectionHealthKey = defineSearchAttributeKey('ConnectionHealth', SearchAttributeType.KEYWORD);

export const connectionWorkflowId = (entraTenantId: string) => `sso-connection-${entraTenantId.toLowerCase()}`;

/** Days before the last trusted certificate expires at which staff and the tenancy's admins are warned. */
export const EXPIRY_WARNING_DAYS = [30, 7, 1] as const;
/** A burst of signature refusals: this many within the window (web/saml counts them). */
export const SIGNATURE_BURST = { count: 5, windowMs: 10 * 60 * 1000 } as const;
/** How long a proven rollover is shown as `cert-rolled`. */
export const ROLLED_SHOWN_MS = 7 * 24 * 3600 * 1000;

/**
 * One trusted signing certificate as the connection sees it (the PEM stays in the Tenant).
 * `current`: in the metadata; `staged`: appeared in the metadata after go-live and not yet seen
 * signing; `unpublished`: gone from the metadata, still trusted until it expires or staff retire it.
 */
export interface TrustedCertificate {
  thumbprint: string;
  notBefore?: string;
  notAfter: string;
  stagedAt?: string;
  unpublishedAt?: string;
  provenAt?: string;
}

/** What a metadata refresh did (every change is audited by the activity). */
export interface RefreshResult {
  certificates: TrustedCertificate[];
  staged: string[];
  unpublished: string[];
  dropped: string[];
}

export interface ConnectionSnapshot {
  orgName: string;
  certificates: TrustedCertificate[];
  /** From config when the run starts (deterministic for the run). */
  refreshIntervalMs: number;
}

export interface ConnectionProblem {
  kind: 'refresh-failed' | 'signature-failures';
  message: string;
  at: string;
}

export interface ConnectionEvent {
  at: string;
  event: string;
  by?: string;
}

export interface ConnectionState {
  tenantId: string;
  orgName: string;
  health: ConnectionHealth;
  refreshIntervalMs: number;
  certificates: TrustedCertificate[];
  paused?: { by: string; reason: string; at: string };
  problem?: ConnectionProblem;
  lastRefresh?: { at: string; outcome: 'ok' | 'failed'; trigger: RefreshTrigger; message: string };
  nextRefreshAt: string;
  /** `<thumbprint>:<days>` of every expiry warning sent. */
  warningsSent: string[];
  /** The most recent events, newest last (bounded: the state is carried across continue-as-new). */
  events: ConnectionEvent[];
}
export const EVENTS_KEPT = 50;

export type RefreshTrigger = 'schedule' | 'staff' | 'signature-burst';

export interface ConnectionInput {
  tenantId: string;
}

/** Sent by the ACS when signature refusals for a live tenancy reach SIGNATURE_BURST. */
export interface SignatureBurst {
  count: number;
  at: string;
  auditEventId: string;
}
export const signatureBurstSignal = defineSignal<[SignatureBurst]>('signatureBurst');

/** Sent by the ACS at the first sign-in verified with a staged certificate. */
export interface CertificateProven {
  thumbprint: string;
  at: string;
  auditEventId: string;
  email: string;
}
export const certificateProvenSignal = defineSignal<[CertificateProven]>('certificateProven');

/** Null for the moment between the start and the first read of the tenancy. */
export const connectionStateQuery = defineQuery<ConnectionState | null>('connectionState');
export const pauseConnectionUpdate = defineUpdate<ConnectionState, [StaffAction & { reason: string }]>('pauseConnection');
export const resumeConnectionUpdate = defineUpdate<ConnectionState, [StaffAction]>('resumeConnection');
export const refreshConnectionUpdate = defineUpdate<ConnectionState, [StaffAction]>('refreshConnection');
/** A non-Entra connection's settings replaced (validated whole; the previous ones kept), or rolled back to them. */
export const updateSettingsUpdate = defineUpdate<ConnectionState, [StaffAction & { settings: unknown; reason: string }]>(
  'updateConnectionSettings',
);
export const rollBackSettingsUpdate = defineUpdate<ConnectionState, [StaffAction & { reason: string }]>('rollBackConnectionSettings');
export const retireCertificateUpdate = defineUpdate<ConnectionState, [StaffAction & { thumbprint: string; reason: string }]>(
  'retireCertificate',
);

export type SsoConnectionWorkflow = (input: ConnectionInput, carried?: ConnectionState) => Promise<void>;
