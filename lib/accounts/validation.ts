import { z } from 'zod';
import { badRequest } from '../errors';
import { passwordProblem } from '../passwords';

/** Lower-cased and trimmed: the User model stores emails this way, so lookups must too. */
export const emailSchema = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .toLowerCase()
  .min(1, 'Enter your email address.')
  .max(254, 'That email address is too long.')
  .pipe(z.email({ error: 'Enter a valid email address, like name@example.com.' }));

const password = z.string({ error: 'Enter a password.' }).min(1, 'Enter a password.');

export const registrationSchema = z
  .object({
    email: emailSchema,
    password,
    displayName: z
      .string({ error: 'Enter your name.' })
      .trim()
      .min(1, 'Enter your name.')
      .max(200, 'Use at most 200 characters for your name.'),
  })
  .superRefine((input, ctx) => {
    const problem = passwordProblem(input.password, input.email);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });
export type RegistrationInput = z.infer<typeof registrationSchema>;

/** Password is optional here: an email in an SSO domain needs none (home-realm discovery). */
export const signInSchema = z.object({ email: emailSchema, password: z.string().max(1024).optional().default('') });

export const emailOnlySchema = z.object({ email: emailSchema });
export const tokenSchema = z.object({ token: z.string({ error: 'The link is incomplete.' }).min(1, 'The link is incomplete.').max(2048) });
export const newPasswordSchema = tokenSchema.extend({ password });

export type Checked<T> = { ok: true; data: T } | { ok: false; message: string; fields: Record<string, string> };

/** Pages re-show the form with the first problem; `parse` is the API's throwing twin. */
export function check<S extends z.ZodType>(schema: S, body: unknown): Checked<z.infer<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const fields = Object.fromEntries(result.error.issues.map((i) => [i.path.join('.') || 'body', i.message]));
  return { ok: false, message: result.error.issues[0].message, fields };
}

/** Parses or throws a 400 whose message names the first problem (all of them in details). */
export function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = check(schema, body);
  if (!result.ok) throw badRequest(result.message, { fields: result.fields });
  return result.data;
}
