/**
 * The audit stream's contract (`auditStream`, ID `audit-stream-<tid>`, one per configured
 * tenancy): its input, statuses, the signal staff actions send and the query the console
 * reads. Pure definitions: web, activities and the workflow import them.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const auditStreamWorkflowId = (tenantId: string) => `audit-stream-${tenantId.toLowerCase()}`;
/** Streaming work has its own queue, like purges: a catch-up never delays sign-in work. */
export const streamTaskQueue = (base: string) => `${base}-stream`;

export const STREAM_STATES = ['starting', 'streaming', 'waiting', 'paused', 'off'] as const;
export type StreamState = (typeof STREAM_STATES)[number];

export interface AuditStreamInput {
  tenantId: string;
  /** Carried across continue-as-new (counts since the workflow first started). */
  totals?: StreamTotals;
}

export interface StreamTotals {
  delivered: number;
  quarantined: number;
  batches: number;
}

export interface StreamStatus {
  tenantId: string;
  state: StreamState;
  /** Why it waits or is paused, in words staff can act on. */
  reason?: string;
  since: string;
  cursor: number;
  head: number;
  backlog: number;
  lagSeconds: number;
  totals: StreamTotals;
  /** Until when a `waiting` stream sleeps (Retry-After or back-off). */
  retryAt?: string;
}

/** What one delivery round (an activity) did, and what the workflow should do next. */
export type RoundOutcome =
  { kind: 'caught-up' } | { kind: 'retry'; afterMs: number; reason: string } | { kind: 'paused'; reason: string } | { kind: 'off' };

export interface RoundResult {
  outcome: RoundOutcome;
  delivered: number;
  quarantined: number;
  batches: number;
  cursor: number;
  head: number;
  /** Seconds since the oldest undelivered event was written (0 when none waits). */
  lagSeconds: number;
}

/** Staff changed the configuration (or asked to resume): reload it and try again now. */
export const streamConfigChangedSignal = defineSignal('streamConfigChanged');
export const streamStatusQuery = defineQuery<StreamStatus>('streamStatus');

export type AuditStreamWorkflow = (input: AuditStreamInput) => Promise<StreamStatus>;
