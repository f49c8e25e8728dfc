import { Router } from 'express';
import { listStreamConfigs, saveStreamConfig, streamConfigView } from '../../../lib/audit-stream/config';
import { sendTestEvent } from '../../../lib/audit-stream/test-event';
import { streamStatus } from '../../../lib/audit-stream/control';
import { quarantinedEvents } from '../../../lib/audit-stream/progress';
import { issuePullToken, listPullTokens, revokePullToken } from '../../../lib/audit-stream/pull-tokens';
import type { WebDeps } from '../../deps';
import { streamListView, staffStreamPageAt } from '../../views/audit-streams';
import { renderPage } from '../../views/page';
import { streamPageRoutes } from '../audit-stream-pages';
import { staffActor, type StaffSection } from './section';

/**
 * Staff console: each tenancy's audit stream to its Log Analytics workspace. Pages under
 * /staff/audit-streams, JSON under /api/staff/audit-streams:
 *   GET  /               every configured stream with its state
 *   GET  /:tid           one stream (never its secret)
 *   PUT  /:tid           configure (JSON; clientSecret required the first time, else optional)
 *   POST /:tid/test      send a test event; the exact HTTP outcome
 *   GET  /:tid/status    the running stream's state, lag, backlog and totals (null when none runs)
 *   GET  /:tid/quarantine  events the workspace refused, with its answer
 *   GET, POST /:tid/pull-tokens, DELETE /:tid/pull-tokens/:id   read-only tokens of the pull API
 *                         (the token is in the POST's answer only)
 */
export const auditStreamsSection: StaffSection = {
  path: 'audit-streams',
  title: 'Audit streams',
  description: "Stream a tenancy's audit events to its Microsoft Sentinel workspace; test the connection.",
  pages: (deps: WebDeps) => {
    const router = Router();
    router.get('/', async (req, res) => renderPage(req, res, { title: 'Audit streams' }, streamListView(await listStreamConfigs())));
    router.get('/configure', (req, res) =>
      res.redirect(
        303,
        `/staff/audit-streams/${encodeURIComponent(
          String(req.query.tid ?? '')
            .trim()
            .toLowerCase(),
        )}`,
      ),
    );
    router.use(
      '/:tid',
      streamPageRoutes(deps, {
        tenant: (req) => String(req.params.tid).toLowerCase(),
        actor: staffActor,
        at: staffStreamPageAt,
      }),
    );
    return router;
  },
  api: (deps: WebDeps) => {
    const router = Router();
    router.get('/', async (_req, res) => res.json({ streams: await listStreamConfigs() }));
    router.get('/:tid', async (req, res) => res.json(await streamConfigView(req.params.tid)));
    router.put('/:tid', async (req, res) => res.json(await saveStreamConfig(deps, req.params.tid, req.body ?? {}, staffActor(req))));
    router.post('/:tid/test', async (req, res) => res.json(await sendTestEvent(deps, req.params.tid, staffActor(req))));
    router.get('/:tid/status', async (req, res) =>
      res.json({ status: (await streamStatus(deps.temporal, req.params.tid.toLowerCase())) ?? null }),
    );
    router.get('/:tid/quarantine', async (req, res) => res.json({ events: await quarantinedEvents(req.params.tid) }));
    router.get('/:tid/pull-tokens', async (req, res) => res.json({ tokens: await listPullTokens(req.params.tid) }));
    router.post('/:tid/pull-tokens', async (req, res) =>
      res.status(201).json(await issuePullToken(req.params.tid, req.body ?? {}, staffActor(req))),
    );
    router.delete('/:tid/pull-tokens/:id', async (req, res) => {
      await revokePullToken(req.params.tid, req.params.id, staffActor(req));
      res.status(204).end();
    });
    return router;
  },
};
