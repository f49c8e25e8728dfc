import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, notFound } from '../../lib/errors';
import { isTransientDbError } from '../../lib/transient-errors';
import { page } from '../views/layout';
import { html } from '../views/html';

const wantsJson = (path: string, accept: string | undefined) => path.startsWith('/api/') || (accept ?? '').includes('application/json');

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound('There is nothing at this address.'));

/**
 * The one error middleware: typed refusals become their status with a clear message
 * (JSON under /api/, a page elsewhere); a transient database failure is a 503 "try again"
 * (reads were already retried); anything else is a 500 that hides internals.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let status = 500;
  let code = 'internal';
  let message = 'Something went wrong on our side. It has been logged.';
  let details: Record<string, unknown> | undefined;
  if (err instanceof AppError) {
    ({ status, code, message, details } = err);
  } else if (err?.type === 'entity.parse.failed') {
    [status, code, message] = [400, 'bad_json', 'The request body is not valid JSON.'];
  } else if (err?.type === 'entity.too.large') {
    [status, code, message] = [413, 'payload_too_large', 'The request body is too large.'];
  } else if (err?.name === 'CastError') {
    [status, code, message] = [404, 'not_found', 'Not found.'];
  } else if (err?.name === 'ValidationError') {
    [status, code, message] = [400, 'invalid', String(err.message)];
  } else if (isTransientDbError(err)) {
    [status, code, message] = [503, 'unavailable', 'Our database did not answer just now, so this was not completed. Please try again in a moment.'];
    res.set('Retry-After', '5');
    console.warn(`web: ${req.method} ${req.originalUrl} unavailable: ${err.name}: ${err.message}`);
  } else {
    console.error(`web: ${req.method} ${req.originalUrl} failed`, err);
  }
  if (res.headersSent) return;
  res.status(status);
  if (wantsJson(req.path, req.get('accept'))) {
    res.json({ error: { code, message, ...(details ? { details } : {}) } });
  } else {
    res.type('html').send(page({ title: 'Error', user: req.user as never }, html`<div class="card"><h1>${status === 404 ? 'Not found' : status === 503 ? 'Please try again' : 'Sorry'}</h1><p>${message}</p><p><a href="/">Back to start</a></p></div>`));
  }
};
