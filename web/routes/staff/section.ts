import type { Router } from 'express';
import type { WebDeps } from '../../deps';

/** One area of the staff console (users, audit, tenants, deletions...). Both routers run behind requireStaff. */
export interface StaffSection {
  /** URL segment: pages at /staff/<path>, JSON at /api/staff/<path>. */
  path: string;
  title: string;
  /** One line on the console home. */
  description: string;
  pages?: (deps: WebDeps) => Router;
  api?: (deps: WebDeps) => Router;
}

/** The audit actor for a staff action (session or bearer token: both set req.user). */
export function staffActor(req: Express.Request): { kind: 'staff'; userId?: string; email?: string } {
  return { kind: 'staff', userId: req.user?.id, email: req.user?.email };
}
