/**
 * SCIM refusals (RFC 7644 §3.12): an HTTP status and, for 400 and 409, a `scimType` that
 * tells the client what kind of problem it was. The SCIM router renders them in the SCIM
 * error schema (status as a string); nothing else in the app sees them.
 */
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

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    detail: string,
  ) {
    super(detail);
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
export function errorBody(err: ScimError) {
  return { schemas: [ERROR_SCHEMA], status: String(err.status), ...(err.scimType ? { scimType: err.scimType } : {}), detail: err.message };
}
