import { Router, type Request, type Response } from 'express';
import { listStreamConfigs, saveStreamConfig, streamConfigView } from '../../../lib/audit-stream/config';
import { sendTestEvent } from '../../../lib/audit-stream/test-event';
import { liveStreamStatus, streamStatus } from '../../../lib/audit-stream/control';
import { quarantinedEvents } from '../../../lib/audit-stream/progress';
import { issuePullToken, listPullTokens, revokePullToken } from '../../../lib/audit-stream/pull-tokens';
import { FailureType } from '../../../lib/contracts/failures';
import { Refusal } from '../../../lib/contracts/refusal';
import type { WebDeps } from '../../deps';
import { csrfToken } from '../../http/csrf';
import { refusalToShow } from '../../http/errors';
import { streamListView, streamPageView, type StreamPageExtras } from '../../views/audit-streams';
import type { PageOptions } from '../../views/layout';
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
 *   GET, POST /:tid/pull-tokens, DELETE /:tid/pull-tokens/:id   read-only tokens of the pull API
 *                         (the token is in the POST's answer only)
 */
type PageNotice = NonNullable<PageOptions['notice']>;
const NOTICES: Record<string, string> = {
  saved: 'Saved. The stream picks up the change now.',
  revoked: 'The token was revoked: it reads nothing from now on.',
};

const viewOrNone = (tid: string) =>
  streamConfigView(tid).catch((err) => (err instanceof Refusal && err.type === FailureType.NotFound ? undefined : Promise.reject(err)));

/** An HTML form as the JSON the API takes: the checkbox is on or absent, an empty secret keeps the old one. */
const fromForm = (body: Record<string, string>) => ({
  ...body,
  enabled: body.enabled === 'on',
  clientSecret: body.clientSecret || undefined,
});

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
    const show = async (req: Request, res: Response, extras: StreamPageExtras = {}, notice?: PageNotice, status = 200) => {
      const tid = String(req.params.tid).toLowerCase();
      const [current, live, quarantine, tokens] = await Promise.all([
        viewOrNone(tid),
        liveStreamStatus(deps.temporal, tid),
        quarantinedEvents(tid),
        listPullTokens(tid),
      ]);
      renderPage(
        req,
        res,
        { title: 'Audit stream', notice, status },
        streamPageView(tid, current, csrfToken(req), { status: live, quarantine, tokens, ...extras }),
      );
    };
    router.get('/:tid', async (req, res) => {
      const text = Object.hasOwn(NOTICES, String(req.query.notice)) ? NOTICES[String(req.query.notice)] : undefined;
      await show(req, res, {}, text ? { kind: 'success', text } : undefined);
    });
    router.post('/:tid/pull-tokens', async (req, res) => {
      try {
        await show(req, res, { issued: await issuePullToken(req.params.tid, req.body ?? {}, staffActor(req)) });
      } catch (err) {
        const refused = refusalToShow(err);
        await show(req, res, {}, { kind: 'error', text: refused.shown().message }, refused.status);
      }
    });
    router.post('/:tid/pull-tokens/:id/revoke', async (req, res) => {
      await revokePullToken(req.params.tid, req.params.id, staffActor(req));
      res.redirect(303, `/staff/audit-streams/${req.params.tid}?notice=revoked`);
    });
    router.post('/:tid', async (req, res) => {
      const input = fromForm(req.body ?? {});
      try {
        await saveStreamConfig(deps, req.params.tid, input, staffActor(req));
      } catch (err) {
        const refused = refusalToShow(err);
        const current = await viewOrNone(req.params.tid);
        return renderPage(
          req,
          res,
          { title: 'Audit stream', status: refused.status, notice: { kind: 'error', text: refused.shown().message } },
          streamPageView(req.params.tid, current, csrfToken(req), { values: input }),
        );
      }
      res.redirect(303, `/staff/audit-streams/${req.params.tid}?notice=saved`);
    });
    router.post('/:tid/test', async (req, res) => show(req, res, { test: await sendTestEvent(deps, req.params.tid, staffActor(req)) }));
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
