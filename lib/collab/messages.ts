import { MessageModel } from '../models';
import { hubFor, type Actor } from './access';
import { peopleByIds, type Person } from './people';

/** A hub's message thread: every member reads and posts. */

export interface MessageView {
  id: string;
  hubId: string;
  author: Person | null;
  body: string;
  createdAt: Date;
}

/** The latest `limit` messages, oldest first (the order a thread is read in). */
export async function listMessages(actor: Actor, hubId: string, limit = 100): Promise<MessageView[]> {
  const { hub } = await hubFor(actor, hubId, 'read');
  const messages = await MessageModel.find({ hubId: hub._id }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean();
  return views(messages.reverse());
}

export async function postMessage(actor: Actor, hubId: string, body: string): Promise<MessageView> {
  const { hub } = await hubFor(actor, hubId, 'post');
  const message = await MessageModel.create({ hubId: hub._id, authorId: actor.id, body });
  return (await views([message]))[0];
}

async function views(messages: Array<{ _id: unknown; hubId: unknown; authorId: unknown; body: string; createdAt: Date }>): Promise<MessageView[]> {
  const people = await peopleByIds(messages.map((m) => String(m.authorId)));
  return messages.map((m) => ({
    id: String(m._id),
    hubId: String(m.hubId),
    author: people.get(String(m.authorId)) ?? null,
    body: m.body,
    createdAt: m.createdAt,
  }));
}
