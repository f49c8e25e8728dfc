/**
 * The one way Entrada says no. Use cases, routes, activities and workflows throw a `Refusal`;
 * it carries the HTTP status (from its kind), the message the person is shown and the reason
 * code that audit events and API clients see (`error.code`). The web's one error middleware
 * answers with it. Across Temporal it travels as an ApplicationFailure whose `type` is its
 * kind (`toFailure` / `fromFailure`), so retry policies can list the non-retryable kinds.
 * Pure: workflow code imports it.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureType, isFailureType, NON_RETRYABLE } from './failures';

/** Each kind's HTTP status and default reason code. */
const KINDS: Record<FailureType, readonly [status: number, reason: string]> = {
  InvalidInput: [400, 'bad_request'],
  Unauthenticated: [401, 'unauthorized'],
  Forbidden: [403, 'forbidden'],
  NotFound: [404, 'not_found'],
  Conflict: [409, 'conflict'],
  TooLarge: [413, 'payload_too_large'],
  UnsupportedMedia: [415, 'unsupported_media_type'],
  MetadataInvalid: [422, 'metadata_invalid'],
  TenantMismatch: [422, 'tenant_mismatch'],
  RateLimited: [429, 'too_many_requests'],
  Unavailable: [503, 'unavailable'],
};

export interface RefusalOptions {
  /** The audited reason code; the kind's default (e.g. `not_found`) otherwise. */
  reason?: string;
  /** Structured facts the person may see (missing checklist items, where to sign in instead). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** What the person (a page or an API client) is told. */
export interface ShownRefusal {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export class Refusal extends Error {
  readonly status: number;
  readonly reason: string;
  readonly details?: Record<string, unknown>;
  /** The audit event that recorded this refusal, once one has: the reference the person is shown. */
  reference?: string;

  constructor(
    readonly type: FailureType,
    message: string,
    opts: RefusalOptions = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'Refusal';
    const [status, reason] = KINDS[type];
    this.status = status;
    this.reason = opts.reason ?? reason;
    if (opts.details) this.details = opts.details;
  }

  /** A refusal whose reason is for the audit only (SAML) says less; see its subclass. */
  shown(): ShownRefusal {
    return { code: this.reason, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/**
 * The ApplicationFailure an activity, update handler or workflow throws for a refusal. Only the
 * kind, message and details cross Temporal: the caller sees the kind's default reason code.
 */
export function toFailure(refusal: Refusal): ApplicationFailure {
  return ApplicationFailure.create({
    type: refusal.type,
    message: refusal.message,
    nonRetryable: NON_RETRYABLE.includes(refusal.type),
    details: refusal.details ? [refusal.details] : undefined,
  });
}

/** Shorthand for workflow code: refuse with this kind, message and details. */
export const refuse = (type: FailureType, message: string, details?: Record<string, unknown>) =>
  toFailure(new Refusal(type, message, { details }));

/** The refusal a workflow's or activity's ApplicationFailure stands for (an unknown type is a plain 400). */
export function fromFailure(failure: ApplicationFailure): Refusal {
  const details = failure.details?.[0];
  const opts: RefusalOptions = {
    cause: failure,
    ...(details && typeof details === 'object' ? { details: details as Record<string, unknown> } : {}),
  };
  return isFailureType(failure.type)
    ? new Refusal(failure.type, failure.message, opts)
    : new Refusal(FailureType.InvalidInput, failure.message, { ...opts, reason: 'refused' });
}
