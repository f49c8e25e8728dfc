import { Router } from 'express';
import { deletionReasonSchema, getDeletionProgress, requestUserDeletion } from '../../lib/deletion/requests';
import { changeQuarantine, restoreAccount } from '../../lib/scim/deprovisioning-actions';
import type { WebDeps } from '../deps';
import { requireUser } from '../http/guards';
import { parse } from '../../lib/accounts/validation';

/**
 * A customer's administrators (users whose `tenantAdminOf` lists their Entra tenant) delete
 * users of that tenant: `POST /api/tenant-admin/users/:id/delete {reason}` → 202, and follow
 * it with `GET /api/tenant-admin/users/:id/deletion`. Who may delete whom is decided by
 * `requestUserDeletion`, the same as for staff.
 */
export function tenantAdminRouter({ config, temporal }: WebDeps): Router {
  const router = Router();
  router.use('/api/tenant-admin', requireUser);

  router.post('/api/tenant-admin/users/:id/delete', async (req, res) => {
    const { reason } = parse(deletionReasonSchema, req.body);
    const me = req.user!;
    const { workflowId, attached } = await requestUserDeletion(temporal, config.TEMPORAL_TASK_QUEUE, {
      userId: req.params.id,
      requestedBy: { kind: 'tenant-admin', userId: me.id, email: me.email, reason },
    });
    res.status(202).json({ workflowId, attached, progress: `/api/tenant-admin/users/${req.params.id}/deletion` });
  });

  router.get('/api/tenant-admin/users/:id/deletion', async (req, res) => {
    res.json(await getDeletionProgress(temporal, req.params.id, { tenantIds: req.user!.tenantAdminOf }));
  });

  // A SCIM-deleted user of their tenancy, during its quarantine: shorten or extend the window, or restore.
  const admin = (req: Express.Request) => ({ kind: 'tenant-admin' as const, email: req.user!.email, userId: req.user!.id });
  router.post('/api/tenant-admin/deprovisionings/:id/quarantine', async (req, res) => {
    res.json(await changeQuarantine(temporal, req.params.id, req.body ?? {}, admin(req), { tenantIds: req.user!.tenantAdminOf }));
  });
  router.post('/api/tenant-admin/deprovisionings/:id/restore', async (req, res) => {
    res.json(await restoreAccount(temporal, req.params.id, req.body ?? {}, admin(req), { tenantIds: req.user!.tenantAdminOf }));
  });
  return router;
}
