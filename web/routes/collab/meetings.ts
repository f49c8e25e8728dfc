import { Router, type Request, type Response } from 'express';
import { csrfToken } from '../../http/csrf';
import { renderPage } from '../../views/page';
import { parse } from '../../../lib/accounts/validation';
import { createMeeting, deleteMeeting, getMeeting, listMeetings } from '../../../lib/collab/meetings';
import { actorOf, formAction, noticeFrom, type FormError } from './request';
import { newMeeting } from './schemas';
import { errorNotice } from './views/common';
import { meetingsPage } from './views/meetings';

const NOTICES = { created: 'Meeting created.', cancelled: 'Meeting cancelled.' };

/** /meetings: the page. */
export function meetingPages(): Router {
  const router = Router();
  const show = async (req: Request, res: Response, error?: FormError) => {
    const meetings = await listMeetings(actorOf(req));
    renderPage(
      req,
      res,
      { title: 'Meetings', status: error?.status, notice: errorNotice(error) ?? noticeFrom(req, NOTICES) },
      meetingsPage({ meetings, csrf: csrfToken(req), draft: error ? req.body : undefined }),
    );
  };
  router.get('/', (req, res) => show(req, res));
  router.post(
    '/',
    formAction(async (req) => {
      const { participants, ...rest } = parse(newMeeting, req.body);
      await createMeeting(actorOf(req), { ...rest, participantEmails: participants });
      return '/meetings?notice=created';
    }, show),
  );
  router.post(
    '/:id/delete',
    formAction(async (req) => {
      await deleteMeeting(actorOf(req), String(req.params.id));
      return '/meetings?notice=cancelled';
    }, show),
  );
  return router;
}

/** /api/meetings: `participants` is an array of emails, `startsAt` ISO 8601. */
export function meetingsApi(): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    res.json({ meetings: await listMeetings(actorOf(req)) });
  });
  router.post('/', async (req, res) => {
    const { participants, ...rest } = parse(newMeeting, req.body);
    res.status(201).json({ meeting: await createMeeting(actorOf(req), { ...rest, participantEmails: participants }) });
  });
  router.get('/:id', async (req, res) => {
    res.json({ meeting: await getMeeting(actorOf(req), req.params.id) });
  });
  router.delete('/:id', async (req, res) => {
    await deleteMeeting(actorOf(req), req.params.id);
    res.status(204).end();
  });
  return router;
}
