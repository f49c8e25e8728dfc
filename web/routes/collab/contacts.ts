import { Router, type Request, type Response } from 'express';
import { csrfToken } from '../../http/csrf';
import { renderPage } from '../../views/page';
import { parse } from '../../../lib/accounts/validation';
import { addContact, deleteContact, listContacts, renameContact } from '../../../lib/collab/contacts';
import { actorOf, formAction, noticeFrom, type FormError } from './request';
import { contactName, newContact } from './schemas';
import { errorNotice } from './views/common';
import { contactsPage } from './views/contacts';

const NOTICES = { added: 'Contact added.', removed: 'Contact removed.' };

/** /contacts: the page. */
export function contactPages(): Router {
  const router = Router();
  const show = async (req: Request, res: Response, error?: FormError) => {
    const contacts = await listContacts(actorOf(req));
    renderPage(
      req,
      res,
      { title: 'Contacts', status: error?.status, notice: errorNotice(error) ?? noticeFrom(req, NOTICES) },
      contactsPage({ contacts, csrf: csrfToken(req), draft: error ? req.body : undefined }),
    );
  };
  router.get('/', (req, res) => show(req, res));
  router.post(
    '/',
    formAction(async (req) => {
      await addContact(actorOf(req), parse(newContact, req.body));
      return '/contacts?notice=added';
    }, show),
  );
  router.post(
    '/:id/delete',
    formAction(async (req) => {
      await deleteContact(actorOf(req), String(req.params.id));
      return '/contacts?notice=removed';
    }, show),
  );
  return router;
}

/** /api/contacts */
export function contactsApi(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json({ contacts: await listContacts(actorOf(req)) });
  });
  router.post('/', async (req, res) => {
    res.status(201).json({ contact: await addContact(actorOf(req), parse(newContact, req.body)) });
  });
  router.patch('/:id', async (req, res) => {
    res.json({ contact: await renameContact(actorOf(req), req.params.id, parse(contactName, req.body).name) });
  });
  router.delete('/:id', async (req, res) => {
    await deleteContact(actorOf(req), req.params.id);
    res.status(204).end();
  });
  return router;
}
