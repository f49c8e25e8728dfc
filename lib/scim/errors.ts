/**
 * SCIM refusals (RFC 7644 §3.12): an HTTP status and, for 400 and 409, a `scimType` that
 * tells the client what kind of problem it was. They are Refusals (the app's one way of saying
 * no: the kind follows from the status, the audited reason is the scimType); the SCIM router
 * renders them in the SCIM error schema (status as a string).
 */
import { Refusal } from '../contracts/refusal';
import { FailureType } from '../contracts/failures';

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

const KIND_OF = {
  400: FailureType.InvalidInput,
  401: FailureType.Unauthenticated,
  403: FailureType.Forbidden,
  404: FailureType.NotFound,
  409: FailureType.Conflict,
  413: FailureType.TooLarge,
  503: FailureType.Unavailable,
} as const;

export class ScimError extends Refusal {
  constructor(
    status: keyof typeof KIND_OF,
    readonly scimType: ScimType | undefined,
    detail: string,
  ) {
    super(KIND_OF[status], detail, scimType ? { reason: scimType } : {});
    this.name = 'ScimError';
  }
}

export const invalidFilter = (detail: string) => new ScimError(400, 'invalidFilter', detail);
export const invalidPath = (detail: string) => new ScimError(400, 'invalidPath', detail);
export const invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);
export const invalidSyntax = (detail: string) => new ScimError(400, 'invalidSyntax', detail);
export const noTarget = (detail: string) => new ScimError(400, 'noTarget', detail);
export const mutability = (detail: string) => new ScimError(400, 'mutability', detail);
export const uniqueness = (detail: string) => new ScimError(409, 'uniqueness', detail);
export const scimNotFound = (detail: string) => new ScimError(404, undefined, detail);
export const scimUnauthorized = (detail = 'A valid bearer token for this tenancy is required.') => new ScimError(401, undefined, detail);
export const scimForbidden = (detail: string) => new ScimError(403, undefined, detail);
export const scimUnavailable = (detail: string) => new ScimError(503, undefined, detail);

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The body of a SCIM error response. */
export function errorBody(err: { status: number; scimType?: ScimType; message: string }) {
  return { schemas: [ERROR_SCHEMA], status: String(err.status), ...(err.scimType ? { scimType: err.scimType } : {}), detail: err.message };
}
