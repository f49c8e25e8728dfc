import type { Request, RequestHandler, Response } from 'express';
import type { Actor } from '../../../lib/collab/access';
import { refusalToShow } from '../../http/errors';
import { requestContext } from '../../http/request-context';

/** Small pieces every collaboration router uses. */

/** The signed-in user behind this request, as the services want it (requireUser ran first). */
export function actorOf(req: Request): Actor {
  return { id: req.user!.id, email: req.user!.email, tenantId: req.user!.tenantId ?? undefined, ...requestContext(req) };
}

export interface FormError {
  status: number;
  message: string;
}

/**
 * A page form post: on success the browser is sent (303) to the address `action` returns; on
 * a refusal (4xx) the page is shown again with the reason and that status, so the person sees
 * what to fix where they were. Anything else goes to the error middleware.
 */
export function formAction(
  action: (req: Request) => Promise<string>,
  showAgain: (req: Request, res: Response, error: FormError) => Promise<void>,
): RequestHandler {
  return async (req, res) => {
    let to: string;
    try {
      to = await action(req);
    } catch (err) {
      const refused = refusalToShow(err);
      return showAgain(req, res, { status: refused.status, message: refused.shown().message });
    }
    res.redirect(303, to);
  };
}

/** `?notice=key` after a redirect, looked up in the page's own fixed texts (never echoed). */
export function noticeFrom(req: Request, texts: Record<string, string>) {
  const key = req.query.notice;
  const text = typeof key === 'string' && Object.hasOwn(texts, key) ? texts[key] : undefined;
  return text ? { kind: 'success' as const, text } : undefined;
}
