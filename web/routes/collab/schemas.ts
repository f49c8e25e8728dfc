import { z } from 'zod';
import { HUB_ROLES } from '../../../lib/models';
import { emailSchema } from '../../../lib/accounts/validation';

/** Input shapes of the collaboration pages and API (both post the same field names). */

const text = (what: string, max: number) =>
  z
    .string({ error: `Enter ${what}.` })
    .trim()
    .min(1, `Enter ${what}.`)
    .max(max, `Use at most ${max} characters for ${what}.`);

export const emailInput = z.object({ email: emailSchema });
export const fileName = z.object({ name: text('a file name', 255) });
export const hubName = z.object({ name: text('a hub name', 200) });
export const role = z.enum(HUB_ROLES, { error: `Choose a role: ${HUB_ROLES.join(', ')}.` });
export const newMember = z.object({ email: emailSchema, role: role.default('member') });
export const roleChange = z.object({ role });
export const messageBody = z.object({ body: text('a message', 10_000) });
export const newContact = z.object({
  email: emailSchema,
  name: z.string().trim().max(200, 'Use at most 200 characters for the name.').optional(),
});
export const contactName = z.object({
  name: z.string({ error: 'Enter a name.' }).trim().max(200, 'Use at most 200 characters for the name.'),
});
export const uploadQuery = z.object({ hubId: z.string().optional() });

const START_TIME = 'Enter the start time, like 2030-01-31T14:30Z.';
/** ISO 8601 to the minute or finer; no zone means UTC (what the page's datetime-local field sends). */
const ISO_MINUTES = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A meeting. The API sends `startsAt` as ISO 8601 and `participants` as an array; the page
 * sends a `datetime-local` value (taken as UTC, as labelled) and a comma/line separated list.
 */
export const newMeeting = z.object({
  title: text('a title', 200),
  startsAt: z
    .string({ error: START_TIME })
    .trim()
    .regex(ISO_MINUTES, START_TIME)
    .transform((s) => new Date(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2') + (/(Z|[+-]\d\d:?\d\d)$/i.test(s) ? '' : 'Z')))
    .refine((d) => !Number.isNaN(d.getTime()), START_TIME),
  durationMinutes: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number({ error: 'Enter the duration in minutes.' })
      .int()
      .min(1, 'A meeting lasts at least a minute.')
      .max(24 * 60, 'A meeting lasts at most 24 hours.')
      .default(30),
  ),
  participants: z
    .union([z.array(z.string()), z.string()], { error: 'List the participants by email.' })
    .transform((v) => (Array.isArray(v) ? v : v.split(/[\s,;]+/)).map((e) => e.trim()).filter(Boolean))
    .pipe(z.array(emailSchema).min(1, 'Invite at least one participant.').max(100, 'Invite at most 100 participants.')),
});
