import { MeetingModel } from '../models';
import { meetingFor, type Actor } from './access';
import { peopleByEmails, peopleByIds, type Person } from './people';

/** Meetings: an organizer invites participants; each of them sees it, only the organizer changes it. */

export interface MeetingView {
  id: string;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  organizer: Person | null;
  participants: Person[];
  /** Whether the viewer organizes it (and so may change it). */
  organizing: boolean;
}

export interface MeetingInput {
  title: string;
  startsAt: Date;
  durationMinutes?: number;
  participantEmails: string[];
}

/** Every participant must be an Entrada user; unknown emails are named in a 404 and nothing is created. */
export async function createMeeting(actor: Actor, input: MeetingInput): Promise<MeetingView> {
  const participants = (await peopleByEmails(input.participantEmails)).filter((p) => p.id !== actor.id);
  const meeting = await MeetingModel.create({
    title: input.title,
    startsAt: input.startsAt,
    durationMinutes: input.durationMinutes,
    organizerId: actor.id,
    participantIds: participants.map((p) => p.id),
  });
  return (await views(actor, [meeting]))[0];
}

/**
 * The meetings a user organizes or takes part in, as two filters that never match the same
 * meeting. FerretDB pushes down neither `$or` nor `$in`, so one `$or` read every meeting there
 * is; each of these is an indexed equality (with `$ne`, which it also pushes down).
 */
export const meetingsOf = (userId: string) => [{ organizerId: userId }, { participantIds: userId, organizerId: { $ne: userId } }];

/** Meetings the actor organizes or takes part in, soonest first. */
export async function listMeetings(actor: Actor): Promise<MeetingView[]> {
  const found = await Promise.all(meetingsOf(actor.id).map((filter) => MeetingModel.find(filter).lean()));
  return views(
    actor,
    found.flat().sort((a, b) => +a.startsAt - +b.startsAt),
  );
}

export async function getMeeting(actor: Actor, meetingId: string): Promise<MeetingView> {
  return (await views(actor, [await meetingFor(actor, meetingId, 'read')]))[0];
}

export async function deleteMeeting(actor: Actor, meetingId: string): Promise<void> {
  const meeting = await meetingFor(actor, meetingId, 'manage');
  await MeetingModel.deleteOne({ _id: meeting._id });
}

type MeetingDoc = { _id: unknown; title: string; startsAt: Date; durationMinutes: number; organizerId: unknown; participantIds: unknown[] };

async function views(actor: Actor, meetings: MeetingDoc[]): Promise<MeetingView[]> {
  const people = await peopleByIds(meetings.flatMap((m) => [String(m.organizerId), ...m.participantIds.map(String)]));
  return meetings.map((m) => ({
    id: String(m._id),
    title: m.title,
    startsAt: m.startsAt,
    durationMinutes: m.durationMinutes,
    organizer: people.get(String(m.organizerId)) ?? null,
    participants: m.participantIds.flatMap((p) => people.get(String(p)) ?? []),
    organizing: String(m.organizerId) === actor.id,
  }));
}
