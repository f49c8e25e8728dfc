import type { UserKind } from '../models/user';

/** What a signed-in request carries as `req.user` (loaded fresh on every request). */
export interface SessionUser {
  id: string;
  email: string;
  kind: UserKind;
  displayName?: string | null;
  isStaff: boolean;
  tenantId?: string | null;
  tenantAdminOf: string[];
  /** As read with the rest (revocation by version, web/http/session.ts); absent when not read. */
  sessionVersion?: number;
}

export function toSessionUser(u: {
  _id: unknown;
  email: string;
  kind: UserKind;
  displayName?: string | null;
  isStaff: boolean;
  tenantId?: string | null;
  tenantAdminOf?: string[] | null;
  sessionVersion?: number | null;
}): SessionUser {
  return {
    id: String(u._id),
    email: u.email,
    kind: u.kind,
    displayName: u.displayName,
    isStaff: u.isStaff,
    tenantId: u.tenantId,
    tenantAdminOf: u.tenantAdminOf ?? [],
    ...(typeof u.sessionVersion === 'number' ? { sessionVersion: u.sessionVersion } : {}),
  };
}
