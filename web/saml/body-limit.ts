import express from 'express';

/**
 * Entra's SAML responses are a few KB (tens with 150 groups). The ACS parses its own form
 * body with this limit, ahead of the app-wide parsers; an oversize body is refused (413) and
 * audited by the SAML router's error handler.
 */
export const SAML_MAX_BODY_BYTES = 256 * 1024;

export const samlBodyParser = express.urlencoded({ extended: false, limit: SAML_MAX_BODY_BYTES, parameterLimit: 10 });
