import express, { Router } from 'express';
import type { Faults } from './faults';
import type { IngestionState } from './state';

/**
 * Entra's token endpoint for the client-credentials grant, as a Logs Ingestion client uses
 * it: `POST /<directory>/oauth2/v2.0/token` with client_id, client_secret and the scope
 * `https://monitor.azure.com//.default`. Refusals carry Entra's AADSTS codes and error names.
 */
const SCOPES = new Set(['https://monitor.azure.com//.default', 'https://monitor.azure.com/.default']);

export function tokenRouter(state: IngestionState, faults: Faults): Router {
  const router = Router();
  router.post('/:directoryId/oauth2/v2.0/token', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    if (faults.take(true)) {
      state.count('token:dropped');
      return void req.socket.destroy();
    }
    const { directoryId } = req.params;
    const body = (req.body ?? {}) as Record<string, string>;
    const refuse = (status: number, error: string, code: string, description: string) => {
      state.count(`token:${status}`);
      res.status(status).json({
        error,
        error_description: `${code}: ${description}`,
        error_codes: [Number(code.slice(6))],
        timestamp: new Date().toISOString(),
      });
    };
    if (body.grant_type !== 'client_credentials')
      return refuse(
        400,
        'unsupported_grant_type',
        'AADSTS70003',
        `The app requested an unsupported grant type '${body.grant_type ?? ''}'.`,
      );
    if (!state.knowsDirectory(directoryId)) return refuse(400, 'invalid_request', 'AADSTS90002', `Tenant '${directoryId}' not found.`);
    const app = state.app(directoryId, body.client_id ?? '');
    if (!app)
      return refuse(
        400,
        'unauthorized_client',
        'AADSTS700016',
        `Application with identifier '${body.client_id ?? ''}' was not found in the directory '${directoryId}'.`,
      );
    if (body.client_secret !== app.clientSecret)
      return refuse(
        401,
        'invalid_client',
        'AADSTS7000215',
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
      );
    if (!SCOPES.has(body.scope ?? ''))
      return refuse(
        400,
        'invalid_scope',
        'AADSTS70011',
        `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid: '${body.scope ?? ''}'.`,
      );
    const { token, expiresIn } = state.issueToken(app);
    state.count('token:200');
    res.json({ token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token });
  });
  return router;
}
