import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../../deps';
import { csrfToken } from '../../http/csrf';
import { renderPage } from '../../views/page';
import { parse } from '../../../lib/accounts/validation';
import { deleteFile, getFile, listMyFiles, openFileContent, renameFile, uploadFile } from '../../../lib/collab/files';
import { listShares, shareFile, unshareFile } from '../../../lib/collab/sharing';
import { actorOf, formAction, noticeFrom, type FormError } from './request';
import { receiveFile } from './upload';
import { sendFileContent } from './download';
import { emailInput, fileName } from './schemas';
import { errorNotice } from './views/common';
import { fileDetailPage, filesPage } from './views/files';

const NOTICES = {
  uploaded: 'File uploaded.',
  deleted: 'File deleted.',
  renamed: 'File renamed.',
  shared: 'File shared.',
  unshared: 'The file is no longer shared with that person.',
};

/** /files: my files and files shared with me; /files/:id: one file, its download and its shares. */
export function filePages({ config }: WebDeps): Router {
  const router = Router();

  const showList = async (req: Request, res: Response, error?: FormError) => {
    const { owned, shared } = await listMyFiles(actorOf(req));
    renderPage(
      req,
      res,
      { title: 'Files', status: error?.status, notice: errorNotice(error) ?? noticeFrom(req, NOTICES) },
      filesPage({ owned, shared, csrf: csrfToken(req), maxBytes: config.UPLOAD_MAX_BYTES }),
    );
  };

  const showFile = async (req: Request, res: Response, error?: FormError) => {
    const actor = actorOf(req);
    const file = await getFile(actor, String(req.params.id));
    const shares = file.rights.share ? await listShares(actor, file.id) : null;
    renderPage(
      req,
      res,
      { title: file.name, status: error?.status, notice: errorNotice(error) ?? noticeFrom(req, NOTICES) },
      fileDetailPage({ file, shares, csrf: csrfToken(req) }),
    );
  };

  router.get('/', (req, res) => showList(req, res));

  router.post(
    '/upload',
    formAction(async (req) => {
      await uploadFile(actorOf(req), { receive: () => receiveFile(req, config.UPLOAD_MAX_BYTES) });
      return '/files?notice=uploaded';
    }, showList),
  );

  router.get('/:id', (req, res) => showFile(req, res));

  router.get('/:id/download', async (req, res) => sendFileContent(res, await openFileContent(actorOf(req), String(req.params.id))));

  router.post(
    '/:id/rename',
    formAction(async (req) => {
      const file = await renameFile(actorOf(req), String(req.params.id), parse(fileName, req.body).name);
      return `/files/${file.id}?notice=renamed`;
    }, showFile),
  );

  router.post(
    '/:id/delete',
    formAction(async (req) => {
      await deleteFile(actorOf(req), String(req.params.id));
      return '/files?notice=deleted';
    }, showList),
  );

  router.post(
    '/:id/shares',
    formAction(async (req) => {
      await shareFile(actorOf(req), String(req.params.id), parse(emailInput, req.body).email);
      return `/files/${req.params.id}?notice=shared`;
    }, showFile),
  );

  router.post(
    '/:id/shares/:userId/remove',
    formAction(async (req) => {
      await unshareFile(actorOf(req), String(req.params.id), String(req.params.userId));
      return `/files/${req.params.id}?notice=unshared`;
    }, showFile),
  );

  return router;
}
