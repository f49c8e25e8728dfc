/** What every portal route needs from its request: the tenancy it may show, and who acts. */
import type { Request } from 'express';
import { assertPortalAccess } from '../../lib/portal/access';

/** The tenancy of `/portal/:tid/...` when the signed-in user may see it (404 otherwise). */
export const portalTenant = (req: Request): string => assertPortalAccess(req.user!, String(req.params.tid));

/** The audit actor of a portal action: the tenancy admin (or staff member) in person. */
export const portalActor = (req: Request) => ({
  kind: req.user!.isStaff ? ('staff' as const) : ('user' as const),
  userId: req.user!.id,
  email: req.user!.email,
});
