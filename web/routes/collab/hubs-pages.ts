import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../../deps';
import { csrfToken } from '../../http/csrf';
import { renderPage } from '../../views/page';
import { parse } from '../../../lib/accounts/validation';
import { createHub, deleteHub, getHub, listHubs, renameHub } from '../../../lib/collab/hubs';
import { addMember, changeRole, listMembers, removeMember } from '../../../lib/collab/hub-members';
import { listHubFiles, uploadFile } from '../../../lib/collab/files';
import { listMessages, postMessage } from '../../../lib/collab/messages';
import { actorOf, formAction, noticeFrom, type FormError } from './request';
import { receiveFile } from './upload';
import { hubName, messageBody, newMember, roleChange } from './schemas';
import { errorNotice } from './views/common';
import { hubPage, hubsPage } from './views/hubs';

const NOTICES = {
  created: 'Hub created. Add members below.',
  deleted: 'Hub deleted.',
  left: 'You left the hub.',
  renamed: 'Hub renamed.',
  'member-added': 'Member added.',
  'member-removed': 'Member removed.',
  'role-changed': 'Role changed.',
  uploaded: 'File uploaded to the hub.',
  posted: 'Message posted.',
};

/** /hubs: my hubs and a create form; /hubs/:id: thread, files, members and roles. */
export function hubPages({ config }: WebDeps): Router {
  const router = Router();

  const showList = async (req: Request, res: Response, error?: FormError) => {
    const hubs = await listHubs(actorOf(req));
    renderPage(
      req,
      res,
      { title: 'Hubs', status: error?.status, notice: errorNotice(error) ?? noticeFrom(req, NOTICES) },
      hubsPage({ hubs, csrf: csrfToken(req), name: error ? req.body?.name : undefined }),
    );
  };

  const showHub = async (req: Request, res: Response, error?: FormError) => {
    const actor = actorOf(req);
    const id = String(req.params.id);
    const hub = await getHub(actor, id);
    const [members, files, messages] = await Promise.all([listMembers(actor, id), listHubFiles(actor, id), listMessages(actor, id)]);
    renderPage(
      req,
      res,
      { title: hub.name, status: error?.status, notice: errorNotice(error) ?? noticeFrom(req, NOTICES) },
      hubPage({ hub, members, files, messages, me: actor.id, csrf: csrfToken(req), maxBytes: config.UPLOAD_MAX_BYTES }),
    );
  };

  /** A form post on one hub that lands back on its page with a notice. */
  const onHub = (notice: keyof typeof NOTICES, action: (req: Request, hubId: string) => Promise<unknown>) =>
    formAction(async (req) => {
      await action(req, String(req.params.id));
      return `/hubs/${req.params.id}?notice=${notice}`;
    }, showHub);

  router.get('/', (req, res) => showList(req, res));

  router.post(
    '/',
    formAction(async (req) => {
      const hub = await createHub(actorOf(req), parse(hubName, req.body).name);
      return `/hubs/${hub.id}?notice=created`;
    }, showList),
  );

  router.get('/:id', (req, res) => showHub(req, res));

  router.post(
    '/:id/messages',
    onHub('posted', (req, id) => postMessage(actorOf(req), id, parse(messageBody, req.body).body)),
  );
  router.post(
    '/:id/files',
    onHub('uploaded', (req, id) => uploadFile(actorOf(req), { hubId: id, receive: () => receiveFile(req, config.UPLOAD_MAX_BYTES) })),
  );
  router.post(
    '/:id/members',
    onHub('member-added', (req, id) => {
      const { email, role } = parse(newMember, req.body);
      return addMember(actorOf(req), id, email, role);
    }),
  );
  router.post(
    '/:id/members/:userId/role',
    onHub('role-changed', (req, id) => changeRole(actorOf(req), id, String(req.params.userId), parse(roleChange, req.body).role)),
  );
  router.post(
    '/:id/rename',
    onHub('renamed', (req, id) => renameHub(actorOf(req), id, parse(hubName, req.body).name)),
  );

  router.post(
    '/:id/members/:userId/remove',
    formAction(async (req) => {
      const actor = actorOf(req);
      await removeMember(actor, String(req.params.id), String(req.params.userId));
      return req.params.userId === actor.id ? '/hubs?notice=left' : `/hubs/${req.params.id}?notice=member-removed`;
    }, showHub),
  );

  router.post(
    '/:id/delete',
    formAction(async (req) => {
      await deleteHub(actorOf(req), String(req.params.id));
      return '/hubs?notice=deleted';
    }, showHub),
  );

  return router;
}
