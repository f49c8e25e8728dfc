import { audit } from '../audit';
import { notFound } from '../errors';
import { MessageModel } from '../models';
import { auditedBy, deny, hubFor, objectId, type Actor } from './access';
import { peopleByIds, type Person } from './people';

/** A hub's message thread: every member reads and posts; authors and hub owners/admins delete. */

export interface MessageView {
  id: string;
  hubId: string;
  author: Person | null;
  body: string;
  createdAt: Date;
}

const MESSAGE_NOT_FOUND = 'Message not found.';

/** The latest `limit` messages, oldest first (the order a thread is read in). Audited as a read of the thread. */
export async function listMessages(actor: Actor, hubId: string, limit = 100): Promise<MessageView[]> {
  const { hub } = await hubFor(actor, hubId, 'read');
  const messages = await MessageModel.find({ hubId: hub._id }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean();
  await audit({
    ...auditedBy(actor),
    action: 'message.read',
    outcome: 'success',
    target: { type: 'hub', id: String(hub._id) },
    details: { messages: messages.length, newestMessageId: messages[0] ? String(messages[0]._id) : undefined },
  });
  return views(messages.reverse());
}

export async function postMessage(actor: Actor, hubId: string, body: string): Promise<MessageView> {
  const { hub } = await hubFor(actor, hubId, 'post');
  const message = await MessageModel.create({ hubId: hub._id, authorId: actor.id, body });
  // The body stays out of the audit trail (and so out of every SIEM): its length is enough.
  await audit({
    ...auditedBy(actor),
    action: 'message.send',
    outcome: 'success',
    target: { type: 'message', id: String(message._id) },
    details: { hubId: String(hub._id), length: body.length },
  });
  return (await views([message]))[0];
}

export async function deleteMessage(actor: Actor, hubId: string, messageId: string): Promise<void> {
  const { hub, role } = await hubFor(actor, hubId, 'read');
  const message = await MessageModel.findOne({ _id: objectId(messageId, MESSAGE_NOT_FOUND), hubId: hub._id }).lean();
  if (!message) throw notFound(MESSAGE_NOT_FOUND);
  const target = { type: 'message', id: String(message._id) };
  if (String(message.authorId) !== actor.id && role !== 'owner' && role !== 'admin') {
    await deny(actor, 'message.delete', target, 'Only the author or a hub owner or admin can delete this message.');
  }
  await MessageModel.deleteOne({ _id: message._id });
  await audit({
    ...auditedBy(actor),
    action: 'message.delete',
    outcome: 'success',
    target,
    details: { hubId: String(hub._id), authorId: String(message.authorId) },
  });
}

async function views(
  messages: Array<{ _id: unknown; hubId: unknown; authorId: unknown; body: string; createdAt: Date }>,
): Promise<MessageView[]> {
  const people = await peopleByIds(messages.map((m) => String(m.authorId)));
  return messages.map((m) => ({
    id: String(m._id),
    hubId: String(m.hubId),
    author: people.get(String(m.authorId)) ?? null,
    body: m.body,
    createdAt: m.createdAt,
  }));
}
