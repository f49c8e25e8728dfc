/**
 * The refusal model at its two edges: the web's one error middleware (status, what the person
 * sees, and nothing of an internal error's text) and the trip through Temporal and back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import mongoose from 'mongoose';
import { ApplicationFailure } from '@temporalio/common';
import { ServiceError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { FailureType } from '../../lib/contracts/failures';
import { fromFailure, toFailure } from '../../lib/contracts/refusal';
import { conflict, notFound } from '../../lib/errors';
import { SamlRejection } from '../../lib/saml/rejection';
import { errorHandler } from '../../web/http/errors';

const validationError = () => {
  const err = new mongoose.Error.ValidationError();
  err.addError(
    'email',
    new mongoose.Error.ValidatorError({ path: 'email', message: 'Path `email` is longer than the maximum allowed length (254).' }),
  );
  return err;
};

const THROWN: Record<string, () => unknown> = {
  refusal: () => notFound('No such hub.'),
  saml: () => new SamlRejection('signature-invalid', 'Invalid signature', 'a valid signature', 'none'),
  validation: validationError,
  database: () => new mongoose.mongo.MongoNetworkError('connection 4 to 127.0.0.1:27017 closed'),
  temporal: () =>
    new ServiceError('Failed to start workflow', {
      cause: Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, details: 'x', metadata: {} }),
    }),
  bug: () => new TypeError("Cannot read properties of undefined (reading 'toISOString')"),
};

let base: string;
let server: http.Server;
beforeAll(async () => {
  const app = express();
  app.get('/api/:what', (req) => {
    throw THROWN[String(req.params.what)]();
  });
  app.use(errorHandler);
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  vi.spyOn(console, 'error').mockImplementation(() => undefined); // internal errors are logged
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('the error middleware', () => {
  test.each([
    ['refusal', 404, { code: 'not_found', message: 'No such hub.' }],
    ['saml', 400, { code: 'sso_refused', message: 'We could not finish signing you in.' }],
    ['validation', 500, { code: 'internal', message: 'Something went wrong on our side. It has been logged.' }],
    ['database', 503, { code: 'unavailable', message: 'A service we depend on is not answering. Try again in a moment.' }],
    ['temporal', 503, { code: 'unavailable', message: 'A service we depend on is not answering. Try again in a moment.' }],
    ['bug', 500, { code: 'internal', message: 'Something went wrong on our side. It has been logged.' }],
  ])('%s → %i', async (what, status, shown) => {
    const res = await fetch(`${base}/api/${what}`);
    const text = await res.text();
    expect(res.status).toBe(status);
    expect(JSON.parse(text)).toEqual({ error: shown });
    expect(text).not.toMatch(/Path `email`|127\.0\.0\.1|UNAVAILABLE|toISOString|signature-invalid/);
  });
});

describe('across Temporal', () => {
  test('a refusal becomes a non-retryable failure typed by its kind, and comes back with status and details', () => {
    const failure = toFailure(conflict('go-live refused: no evidence yet', { missing: ['group-gate'] }));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'Conflict',
      nonRetryable: true,
      message: 'go-live refused: no evidence yet',
      details: [{ missing: ['group-gate'] }],
    });
    expect(fromFailure(failure)).toMatchObject({
      type: FailureType.Conflict,
      status: 409,
      reason: 'conflict',
      details: { missing: ['group-gate'] },
    });
  });

  test('Unavailable stays retryable; a failure of a type that is no kind of refusal is a plain 400', () => {
    expect(toFailure(fromFailure(ApplicationFailure.create({ type: FailureType.Unavailable, message: 'timed out' }))).nonRetryable).toBe(
      false,
    );
    expect(fromFailure(ApplicationFailure.create({ type: 'Error', message: 'boom' }))).toMatchObject({
      status: 400,
      reason: 'refused',
      message: 'boom',
    });
  });
});
