import { Router, type Request, type Response } from 'express';
import { Refusal } from '../../lib/contracts/refusal';
import { listHubs } from '../../lib/collab/hubs';
import { getFile } from '../../lib/collab/files';
import { listInvites, revokeInvite } from '../../lib/invites/manage';
import { sendInvite } from '../../lib/invites/send';
import type { WebDeps } from '../deps';
import { csrfToken } from '../http/csrf';
import { requireUser } from '../http/guards';
import { renderPage } from '../views/page';
import { actorOf, formAction, noticeFrom, type FormError } from './collab/request';
import { invitesListView, newInviteView } from '../views/invites';
import { inviteLinkRouter } from './invite-link';

/**
 * Inviting people: the inviter's pages (`/invites/new`, `/invites`), their JSON twins under
 * `/api/invites`, and the standard invite link `/invite/<token>` (invite-link.ts).
 */

const NOTICES = {
  sent: 'Invite sent.',
  resent: 'They already had a pending invite: it was sent again with a new link (the old one no longer works).',
  revoked: 'Invite revoked: its link no longer works.',
};
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function invitesRouter(deps: WebDeps): Router {
  const router = Router();

  const showForm = async (req: Request, res: Response, values: Record<string, unknown>, error?: FormError) => {
    const actor = actorOf(req);
    const hubs = (await listHubs(actor)).filter((h) => h.role === 'owner' || h.role === 'admin');
    const fileId = str(values.fileId);
    // A prefilled file (from a renewal email) may be gone since: say so rather than fail the page.
    const file = fileId ? await getFile(actor, fileId).catch((err) => (err instanceof Refusal ? null : Promise.reject(err))) : undefined;
    const problem =
      error?.message ??
      (file === null ? 'The file from the link is no longer available to you, so the invite will not include it.' : undefined);
    renderPage(
      req,
      res,
      { title: 'Invite someone', status: error?.status },
      newInviteView({
        csrf: csrfToken(req),
        hubs,
        file: file ? { id: file.id, name: file.name } : undefined,
        values: {
          email: str(values.email),
          hubId: str(values.hubId),
          hubRole: str(values.hubRole),
          asContact: Boolean(values.asContact) || (!values.hubId && !fileId),
        },
        error: problem,
      }),
    );
  };

  router.get('/invites/new', requireUser, (req, res) => showForm(req, res, req.query));

  router.post(
    '/invites',
    requireUser,
    formAction(
      async (req) => `/invites?notice=${(await sendInvite(actorOf(req), req.body, deps)).resent ? 'resent' : 'sent'}`,
      (req, res, error) => showForm(req, res, req.body, error),
    ),
  );

  router.get('/invites', requireUser, async (req, res) => {
    const invites = await listInvites(actorOf(req));
    renderPage(req, res, { title: 'Invites', notice: noticeFrom(req, NOTICES) }, invitesListView({ csrf: csrfToken(req), invites }));
  });

  router.post('/invites/:id/revoke', requireUser, async (req, res) => {
    await revokeInvite(actorOf(req), String(req.params.id));
    res.redirect(303, '/invites?notice=revoked');
  });

  router.post('/api/invites', requireUser, async (req, res) => {
    const { invite, resent } = await sendInvite(actorOf(req), req.body, deps);
    res.status(resent ? 200 : 201).json({ invite, resent });
  });

  router.get('/api/invites', requireUser, async (req, res) => {
    res.json({ invites: await listInvites(actorOf(req)) });
  });

  router.delete('/api/invites/:id', requireUser, async (req, res) => {
    res.json({ invite: await revokeInvite(actorOf(req), String(req.params.id)) });
  });

  router.use(inviteLinkRouter(deps));
  return router;
}
