import { Router } from 'express';
import { listStreamConfigs, saveStreamConfig, streamConfigView } from '../../../lib/audit-stream/config';
import { sendTestEvent } from '../../../lib/audit-stream/test-event';
import { streamStatus } from '../../../lib/audit-stream/control';
import { quarantinedEvents } from '../../../lib/audit-stream/progress';
import { AppError } from '../../../lib/errors';
import type { WebDeps } from '../../deps';
import { csrfToken } from '../../http/csrf';
import { streamListView, streamPageView } from '../../views/audit-streams';
import { renderPage } from '../../views/page';
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
 */
const viewOrNone = (tid: string) => streamConfigView(tid).catch((err) => (err instanceof AppError && err.status === 404 ? undefined : Promise.reject(err)));

/** An HTML form as the JSON the API takes: the checkbox is on or absent, an empty secret keeps the old one. */
const fromForm = (body: Record<string, string>) => ({ ...body, enabled: body.enabled === 'on', clientSecret: body.clientSecret || undefined });

export const auditStreamsSection: StaffSection = {
  path: 'audit-streams',
  title: 'Audit streams',
  description: 'Stream a tenancy\'s audit events to its Microsoft Sentinel workspace; test the connection.',
  pages: (deps: WebDeps) => {
    const router = Router();
    router.get('/', async (req, res) => renderPage(req, res, { title: 'Audit streams' }, streamListView(await listStreamConfigs())));
    router.get('/configure', (req, res) => res.redirect(303, `/staff/audit-streams/${encodeURIComponent(String(req.query.tid ?? '').trim().toLowerCase())}`));
    router.get('/:tid', async (req, res) => {
      const tid = req.params.tid.toLowerCase();
      const notice = req.query.notice === 'saved' ? { kind: 'success' as const, text: 'Saved. The stream picks up the change now.' } : undefined;
      const [current, status, quarantine] = await Promise.all([viewOrNone(tid), streamStatus(deps.temporal, tid), quarantinedEvents(tid)]);
      renderPage(req, res, { title: 'Audit stream', notice }, streamPageView(tid, current, csrfToken(req), { status, quarantine }));
    });
    router.post('/:tid', async (req, res) => {
      const input = fromForm(req.body ?? {});
      try {
        await saveStreamConfig(deps, req.params.tid, input, staffActor(req));
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const current = await viewOrNone(req.params.tid);
        return renderPage(req, res, { title: 'Audit stream', status: err.status, notice: { kind: 'error', text: err.message } }, streamPageView(req.params.tid, current, csrfToken(req), { values: input }));
      }
      res.redirect(303, `/staff/audit-streams/${req.params.tid}?notice=saved`);
    });
    router.post('/:tid/test', async (req, res) => {
      const test = await sendTestEvent(deps, req.params.tid, staffActor(req));
      renderPage(req, res, { title: 'Audit stream' }, streamPageView(req.params.tid, await streamConfigView(req.params.tid), csrfToken(req), { test }));
    });
    return router;
  },
  api: (deps: WebDeps) => {
    const router = Router();
    router.get('/', async (_req, res) => res.json({ streams: await listStreamConfigs() }));
    router.get('/:tid', async (req, res) => res.json(await streamConfigView(req.params.tid)));
    router.put('/:tid', async (req, res) => res.json(await saveStreamConfig(deps, req.params.tid, req.body ?? {}, staffActor(req))));
    router.post('/:tid/test', async (req, res) => res.json(await sendTestEvent(deps, req.params.tid, staffActor(req))));
    router.get('/:tid/status', async (req, res) => res.json({ status: (await streamStatus(deps.temporal, req.params.tid.toLowerCase())) ?? null }));
    router.get('/:tid/quarantine', async (req, res) => res.json({ events: await quarantinedEvents(req.params.tid) }));
    return router;
  },
};
