/**
 * What the staff user search matches a display name by (lib/accounts/user-search.ts): "starts
 * with" any word of the name. Each word gives a term, the name from that word to its end,
 * lower-cased with single spaces ("Mary Jane Smith": "mary jane smith", "jane smith",
 * "smith"), so a query is a prefix of a term exactly when it starts a word (or runs on into
 * the next words: "jane sm"). Terms run to the name's end rather than stopping at the word
 * because their buckets (user-list-keys.ts) then spread as emails do, not one bucket per
 * common first name.
 */

/** Words past this many give no term: bounds what a long name costs the user's document. */
export const NAME_WORDS_MAX = 8;

/** A query or a name as terms compare it: trimmed, lower-cased, runs of white space as one space. */
export const normalizeSearchText = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

export function nameTermsOf(displayName: string | null | undefined): string[] {
  const words = normalizeSearchText(displayName ?? '')
    .split(' ')
    .filter(Boolean);
  return words.slice(0, NAME_WORDS_MAX).map((_, i) => words.slice(i).join(' '));
}
