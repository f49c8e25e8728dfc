import { Router } from 'express';
import type { WebDeps } from '../../deps';
import { parse } from '../../../lib/accounts/validation';
import { deleteFile, getFile, listMyFiles, openFileContent, renameFile, uploadFile } from '../../../lib/collab/files';
import { listShares, shareFile, unshareFile } from '../../../lib/collab/sharing';
import { actorOf } from './request';
import { receiveFile } from './upload';
import { sendFileContent } from './download';
import { emailInput, fileName, uploadQuery } from './schemas';

/**
 * /api/files. Upload: `POST /api/files[?hubId=]` as multipart/form-data with one part "file"
 * (CSRF token in `X-CSRF-Token` for session callers). Download: `GET /api/files/:id/content`.
 */
export function filesApi({ config }: WebDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    res.json(await listMyFiles(actorOf(req)));
  });

  router.post('/', async (req, res) => {
    const { hubId } = parse(uploadQuery, req.query);
    const file = await uploadFile(actorOf(req), { hubId, receive: () => receiveFile(req, config.UPLOAD_MAX_BYTES) });
    res.status(201).json({ file });
  });

  router.get('/:id', async (req, res) => {
    res.json({ file: await getFile(actorOf(req), req.params.id) });
  });

  router.patch('/:id', async (req, res) => {
    res.json({ file: await renameFile(actorOf(req), req.params.id, parse(fileName, req.body).name) });
  });

  router.delete('/:id', async (req, res) => {
    await deleteFile(actorOf(req), req.params.id);
    res.status(204).end();
  });

  router.get('/:id/content', async (req, res) => sendFileContent(res, await openFileContent(actorOf(req), req.params.id)));

  router.get('/:id/shares', async (req, res) => {
    res.json({ shares: await listShares(actorOf(req), req.params.id) });
  });

  router.post('/:id/shares', async (req, res) => {
    res.status(201).json({ share: await shareFile(actorOf(req), req.params.id, parse(emailInput, req.body).email) });
  });

  router.delete('/:id/shares/:userId', async (req, res) => {
    await unshareFile(actorOf(req), req.params.id, req.params.userId);
    res.status(204).end();
  });

  return router;
}
