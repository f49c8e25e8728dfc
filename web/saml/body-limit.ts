import express, { type RequestHandler, type Response } from 'express';
import { SamlRejection } from '../../lib/saml/rejection';

/**
 * Entra's SAML responses are a few KB (tens with 150 groups). The ACS parses its own form
 * body with this limit, ahead of the app-wide parsers. An oversize body is not an HTTP error
 * here but a sign-in refusal like any other (audited, 413), so the parser's complaint is kept
 * for the ACS check chain: errors raised before a router never reach the router's handlers.
 */
export const SAML_MAX_BODY_BYTES = 256 * 1024;

const parse = express.urlencoded({ extended: false, limit: SAML_MAX_BODY_BYTES, parameterLimit: 10 });
const OVERSIZE = 'samlBodyTooLarge';

export const samlBodyParser: RequestHandler = (req, res, next) =>
  parse(req, res, (err?: { type?: string; limit?: number; length?: number }) => {
    if (err?.type !== 'entity.too.large') return next(err);
    // body-parser has drained the request by now, so the app-wide parsers skip it.
    res.locals[OVERSIZE] = { limit: err.limit, length: err.length };
    next();
  });

/** The first check of the ACS chain. */
export function refuseOversizeBody(res: Response): void {
  const oversize = res.locals[OVERSIZE] as { limit: number; length: number } | undefined;
  if (oversize)
    throw new SamlRejection(
      'body-too-large',
      'The SAML POST body is too large',
      `at most ${oversize.limit} bytes`,
      `${oversize.length} bytes`,
    );
}
