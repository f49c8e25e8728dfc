import { z } from 'zod';

/** Query-string helpers for the staff filters: an empty form field means "no filter". */
export const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);

export const pageLimit = (max: number) =>
  z.preprocess(
    blankIsAbsent,
    z.coerce
      .number({ error: `limit: expected a number from 1 to ${max}` })
      .int(`limit: expected a number from 1 to ${max}`)
      .min(1, `limit: expected a number from 1 to ${max}`)
      .max(max, `limit: expected a number from 1 to ${max}`)
      .optional(),
  );

/** `s` matched literally inside a regular expression (user input in a `$regex`). */
export const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
