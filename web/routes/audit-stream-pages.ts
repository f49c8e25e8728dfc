/**
 * One tenancy's audit stream pages, wherever they are mounted: the staff console
 * (`/staff/audit-streams/:tid`) and the tenancy's own admin portal (`/portal/:tid/logging`).
 * The same use cases behind both (lib/audit-stream/: save, test event, pull tokens), audited
 * with whoever acts; the scope says which tenancy, who, and how the page is framed.
 *   GET  /                 the settings (never the secret), status and quarantine
 *   POST /                 save (an empty secret keeps the old one; a new one rotates it)
 *   POST /test             send a test event; the exact HTTP outcome
 *   POST /pull-tokens, POST /pull-tokens/:id/revoke
 */
import { Router, type Request, type Response } from 'express';
import { saveStreamConfig, streamConfigView } from '../../lib/audit-stream/config';
import { sendTestEvent } from '../../lib/audit-stream/test-event';
import { liveStreamStatus } from '../../lib/audit-stream/control';
import { quarantinedEvents } from '../../lib/audit-stream/progress';
import { issuePullToken, listPullTokens, revokePullToken } from '../../lib/audit-stream/pull-tokens';
import type { AuditInput } from '../../lib/audit';
import { FailureType } from '../../lib/contracts/failures';
import { Refusal } from '../../lib/contracts/refusal';
import type { WebDeps } from '../deps';
import { csrfToken } from '../http/csrf';
import { refusalToShow } from '../http/errors';
import { streamPageView, type StreamPageAt, type StreamPageExtras } from '../views/audit-streams';
import type { SafeHtml } from '../views/html';
import type { PageOptions } from '../views/layout';
import { renderPage } from '../views/page';

export interface StreamPageScope {
  /** The tenancy the request is about (throws "not found" when this user may not see it). */
  tenant: (req: Request) => string;
  actor: (req: Request) => NonNullable<AuditInput['actor']> & { email?: string };
  at: (tid: string) => StreamPageAt;
  /** The page around the stream's content (e.g. the portal's navigation). */
  frame?: (tid: string, content: SafeHtml) => SafeHtml;
}

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

export function streamPageRoutes(deps: WebDeps, scope: StreamPageScope): Router {
  const router = Router({ mergeParams: true });
  const render = (req: Request, res: Response, tid: string, content: SafeHtml, notice?: PageNotice, status = 200) =>
    renderPage(req, res, { title: 'Audit stream', notice, status }, scope.frame ? scope.frame(tid, content) : content);
  const show = async (req: Request, res: Response, extras: StreamPageExtras = {}, notice?: PageNotice, status = 200) => {
    const tid = scope.tenant(req);
    const [current, live, quarantine, tokens] = await Promise.all([
      viewOrNone(tid),
      liveStreamStatus(deps.temporal, tid),
      quarantinedEvents(tid),
      listPullTokens(tid),
    ]);
    const content = streamPageView(tid, current, csrfToken(req), { status: live, quarantine, tokens, ...extras }, scope.at(tid));
    render(req, res, tid, content, notice, status);
  };

  router.get('/', async (req, res) => {
    const text = Object.hasOwn(NOTICES, String(req.query.notice)) ? NOTICES[String(req.query.notice)] : undefined;
    await show(req, res, {}, text ? { kind: 'success', text } : undefined);
  });
  router.post('/pull-tokens', async (req, res) => {
    try {
      await show(req, res, { issued: await issuePullToken(scope.tenant(req), req.body ?? {}, scope.actor(req)) });
    } catch (err) {
      const refused = refusalToShow(err);
      await show(req, res, {}, { kind: 'error', text: refused.shown().message }, refused.status);
    }
  });
  router.post('/pull-tokens/:id/revoke', async (req, res) => {
    const tid = scope.tenant(req);
    await revokePullToken(tid, String(req.params.id), scope.actor(req));
    res.redirect(303, `${scope.at(tid).base}?notice=revoked`);
  });
  router.post('/', async (req, res) => {
    const tid = scope.tenant(req);
    const input = fromForm(req.body ?? {});
    try {
      await saveStreamConfig(deps, tid, input, scope.actor(req));
    } catch (err) {
      const refused = refusalToShow(err);
      const content = streamPageView(tid, await viewOrNone(tid), csrfToken(req), { values: input }, scope.at(tid));
      return render(req, res, tid, content, { kind: 'error', text: refused.shown().message }, refused.status);
    }
    res.redirect(303, `${scope.at(tid).base}?notice=saved`);
  });
  router.post('/test', async (req, res) => show(req, res, { test: await sendTestEvent(deps, scope.tenant(req), scope.actor(req)) }));
  return router;
}
