import { Router } from 'express';
import { pullEvents } from '../../lib/audit-stream/pull';
import { pullTokenGrant } from '../../lib/audit-stream/pull-tokens';
import { forbidden, unauthorized } from '../../lib/errors';

/**
 * The audit pull API for SIEMs that poll (Sentinel's codeless connector, Splunk, Elastic):
 *
 *   GET /api/tenancies/<tid>/audit-events?after=<cursor>&limit=<1..1000>
 *   Authorization: Bearer <read-only token of that tenancy>
 *   → 200 { events: [rows, the stream's columns], nextCursor, more }, and a `Link: rel="next"`
 *     header while more are waiting. Poll with the last nextCursor; a page may be empty.
 *
 * Mounted before sessions: a bearer call never makes one.
 */
export function tenancyAuditRouter(): Router {
  const router = Router();
  router.get('/api/tenancies/:tid/audit-events', async (req, res) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!bearer) throw unauthorized('An audit pull token is required: Authorization: Bearer <token>.');
    const grant = await pullTokenGrant(bearer);
    if (!grant) throw unauthorized('Invalid or revoked audit pull token.');
    if (grant.tenantId !== req.params.tid.toLowerCase()) throw forbidden('This token reads another tenancy.');
    const page = await pullEvents(grant.tenantId, grant.level, req.query);
    if (page.more) {
      const next = new URLSearchParams({
        ...(typeof req.query.limit === 'string' ? { limit: req.query.limit } : {}),
        after: page.nextCursor,
      });
      res.set('Link', `</api/tenancies/${grant.tenantId}/audit-events?${next}>; rel="next"`);
    }
    res.set('Cache-Control', 'no-store').json(page);
  });
  return router;
}
