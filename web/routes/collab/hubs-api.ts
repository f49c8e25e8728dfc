import { Router } from 'express';
import { parse } from '../../../lib/accounts/validation';
import { createHub, deleteHub, getHub, listHubs, renameHub } from '../../../lib/collab/hubs';
import { addMember, changeRole, listMembers, removeMember } from '../../../lib/collab/hub-members';
import { listHubFiles } from '../../../lib/collab/files';
import { deleteMessage, listMessages, postMessage } from '../../../lib/collab/messages';
import { actorOf } from './request';
import { hubName, messageBody, newMember, roleChange } from './schemas';

/** /api/hubs: hubs, members and roles, the hub's files (upload with POST /api/files?hubId=) and messages. */
export function hubsApi(): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    res.json({ hubs: await listHubs(actorOf(req)) });
  });
  router.post('/', async (req, res) => {
    res.status(201).json({ hub: await createHub(actorOf(req), parse(hubName, req.body).name) });
  });
  router.get('/:id', async (req, res) => {
    res.json({ hub: await getHub(actorOf(req), req.params.id) });
  });
  router.patch('/:id', async (req, res) => {
    res.json({ hub: await renameHub(actorOf(req), req.params.id, parse(hubName, req.body).name) });
  });
  router.delete('/:id', async (req, res) => {
    await deleteHub(actorOf(req), req.params.id);
    res.status(204).end();
  });

  router.get('/:id/members', async (req, res) => {
    res.json({ members: await listMembers(actorOf(req), req.params.id) });
  });
  router.post('/:id/members', async (req, res) => {
    const { email, role } = parse(newMember, req.body);
    res.status(201).json({ member: await addMember(actorOf(req), req.params.id, email, role) });
  });
  router.patch('/:id/members/:userId', async (req, res) => {
    res.json({ member: await changeRole(actorOf(req), req.params.id, req.params.userId, parse(roleChange, req.body).role) });
  });
  router.delete('/:id/members/:userId', async (req, res) => {
    await removeMember(actorOf(req), req.params.id, req.params.userId);
    res.status(204).end();
  });

  router.get('/:id/files', async (req, res) => {
    res.json({ files: await listHubFiles(actorOf(req), req.params.id) });
  });
  router.get('/:id/messages', async (req, res) => {
    res.json({ messages: await listMessages(actorOf(req), req.params.id) });
  });
  router.post('/:id/messages', async (req, res) => {
    res.status(201).json({ message: await postMessage(actorOf(req), req.params.id, parse(messageBody, req.body).body) });
  });
  router.delete('/:id/messages/:messageId', async (req, res) => {
    await deleteMessage(actorOf(req), req.params.id, req.params.messageId);
    res.status(204).end();
  });

  return router;
}
