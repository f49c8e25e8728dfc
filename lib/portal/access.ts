import { notFound } from '../errors';
import type { SessionUser } from '../accounts/session-user';

/**
 * Who sees a tenancy's portal: its admins and staff. Anyone else is told it does not exist
 * (404), so a tenancy ID cannot be probed from another tenancy.
 */
export function assertPortalAccess(user: SessionUser, tenantId: string): string {
  const tid = tenantId.toLowerCase();
  if (!user.isStaff && !user.tenantAdminOf.includes(tid)) throw notFound(`No tenancy ${tid}.`);
  return tid;
}
