import type { Request, Response } from 'express';
import { csrfToken } from '../http/csrf';
import type { SafeHtml } from './html';
import { page, type PageOptions } from './layout';

/** Renders a page in the house layout for this request (signed-in user, CSRF token for the header form). */
export function renderPage(
  req: Request,
  res: Response,
  opts: Omit<PageOptions, 'user' | 'csrfToken'> & { status?: number },
  content: SafeHtml,
): void {
  res
    .status(opts.status ?? 200)
    .type('html')
    .send(page({ title: opts.title, notice: opts.notice, user: req.user, csrfToken: csrfToken(req) }, content));
}
