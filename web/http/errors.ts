import type { ErrorRequestHandler, RequestHandler } from 'express';
import { FailureType } from '../../lib/contracts/failures';
import { Refusal, type ShownRefusal } from '../../lib/contracts/refusal';
import { notFound } from '../../lib/errors';
import { isOutage } from '../../lib/outage';
import { SamlRejection } from '../../lib/saml/rejection';
import { refusedPage } from '../saml/pages';
import { html } from '../views/html';
import { page } from '../views/layout';

const wantsJson = (path: string, accept: string | undefined) => path.startsWith('/api/') || (accept ?? '').includes('application/json');

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound('There is nothing at this address.'));

/**
 * For a page handler that shows its form again when refused: the refusal to show, from its
 * catch block. Anything else (a failure, or a 5xx refusal) is rethrown to the error middleware.
 */
export function refusalToShow(err: unknown): Refusal {
  if (err instanceof Refusal && err.status < 500) return err;
  throw err;
}

/** Errors of Express's body parsers and mongoose's ID casting, as the refusals they are. */
function knownRefusal(err: { type?: unknown; name?: unknown } | undefined): Refusal | undefined {
  if (err?.type === 'entity.parse.failed')
    return new Refusal(FailureType.InvalidInput, 'The request body is not valid JSON.', { reason: 'bad_json' });
  if (err?.type === 'entity.too.large') return new Refusal(FailureType.TooLarge, 'The request body is too large.');
  // A malformed ID in an address is as unknown as any other ID.
  if (err?.name === 'CastError') return notFound();
  return undefined;
}

const UNAVAILABLE: ShownRefusal = { code: 'unavailable', message: 'A service we depend on is not answering. Try again in a moment.' };
const INTERNAL: ShownRefusal = { code: 'internal', message: 'Something went wrong on our side. It has been logged.' };

/**
 * The one error middleware. A Refusal is answered with its status and what it says it may show
 * (JSON under /api/ or when asked for, a page elsewhere). Anything else is logged and answered
 * without its details: 503 "try again" when the database or Temporal is unavailable, else 500.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const refusal = err instanceof Refusal ? err : knownRefusal(err);
  if (!refusal) console.error(`web: ${req.method} ${req.originalUrl} failed`, err);
  if (res.headersSent) return;
  const status = refusal?.status ?? (isOutage(err) ? 503 : 500);
  const shown = refusal?.shown() ?? (status === 503 ? UNAVAILABLE : INTERNAL);
  const reference = refusal?.reference;
  res.status(status);
  if (status === 503) res.set('Retry-After', '5');
  if (wantsJson(req.path, req.get('accept'))) {
    res.json({ error: { ...shown, ...(reference ? { reference } : {}) } });
  } else if (refusal instanceof SamlRejection) {
    res.type('html').send(refusedPage(refusal.reason, reference ?? 'none'));
  } else {
    res
      .type('html')
      .send(
        page(
          { title: 'Error', user: req.user as never },
          html`<div class="card"><h1>${status === 404 ? 'Not found' : 'Sorry'}</h1><p>${shown.message}</p>${reference ? html`<p class="muted">Reference: <code id="reference">${reference}</code></p>` : ''}<p><a href="/">Back to start</a></p></div>`,
        ),
      );
  }
};
