import type { Request } from 'express';

/** The value of one request cookie, as the browser sent it (our cookie values need no decoding). */
export function requestCookie(req: Request, name: string): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(/;\s*/)) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq) === name) return pair.slice(eq + 1);
  }
  return undefined;
}
