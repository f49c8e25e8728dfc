import { Router } from 'express';
import type { WebDeps } from '../../deps';
import { requireUser } from '../../http/guards';
import { filePages } from './files-pages';
import { filesApi } from './files-api';
import { hubPages } from './hubs-pages';
import { hubsApi } from './hubs-api';
import { contactPages, contactsApi } from './contacts';
import { meetingPages, meetingsApi } from './meetings';

/**
 * The collaboration area: pages and JSON API for files, hubs, contacts and meetings, every
 * path behind requireUser (pages redirect to sign-in, the API answers 401). Services in
 * lib/collab decide who may see and change what (lib/collab/access.ts).
 */
export function collabRouter(deps: WebDeps): Router {
  const router = Router();
  router.use('/files', requireUser, filePages(deps));
  router.use('/hubs', requireUser, hubPages(deps));
  router.use('/contacts', requireUser, contactPages());
  router.use('/meetings', requireUser, meetingPages());
  router.use('/api/files', requireUser, filesApi(deps));
  router.use('/api/hubs', requireUser, hubsApi());
  router.use('/api/contacts', requireUser, contactsApi());
  router.use('/api/meetings', requireUser, meetingsApi());
  return router;
}
