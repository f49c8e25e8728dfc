/**
 * Admin consent, as Entra does it for multi-tenant apps:
 *   GET  /<tenant>/adminconsent?client_id=..&redirect_uri=..&state=..  → "Permissions requested"
 *   POST /<tenant>/adminconsent (Accept)  → redirect_uri?admin_consent=True&tenant=<tid>&state=..
 *   POST /<tenant>/adminconsent (Cancel)  → redirect_uri?error=access_denied&error_description=AADSTS65004..&state=..
 * `/common/adminconsent` (and `/organizations/`) shows a tenant picker instead of one tenant,
 * standing in for "the admin signs in and their home tenant is used".
 * Bad input is an Entra-style 400 page, never a redirect: a redirect_uri that failed validation
 * must not receive anything.
 */
import { randomUUID } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import { EmulatorError, tenantNotFound } from './errors';
import { consentPage } from './pages';
import type { BaseFor } from './sso';
import type { TenantStore } from './tenant-store';
import type { Tenant } from './tenants';
import { dotnetUrlEncode, isHttpUrl, withQuery } from './urls';

const MULTI_TENANT = ['common', 'organizations'];

interface ConsentParams {
  clientId: string;
  redirectUri: string;
  state?: string;
}

function consentParams(source: Record<string, unknown>): ConsentParams {
  const { client_id: clientId, redirect_uri: redirectUri, state } = source;
  if (typeof clientId !== 'string' || !clientId.trim() || clientId.length > 200) {
    throw new EmulatorError(400, "The request body must contain the following parameter: 'client_id'.", 'AADSTS900144');
  }
  if (!isHttpUrl(redirectUri)) throw new EmulatorError(400, "'redirect_uri' value must be a valid absolute URI.", 'AADSTS90102');
  if (state !== undefined && (typeof state !== 'string' || state.length > 2048)) {
    throw new EmulatorError(400, "'state' must be a single string of at most 2048 characters.", 'AADSTS90100');
  }
  return { clientId: clientId.trim(), redirectUri, ...(typeof state === 'string' ? { state } : {}) };
}

function declined(): string {
  return (
    'AADSTS65004: User declined to consent to access the app.\r\n' +
    `Trace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z')}`
  );
}

export function consentRouter(store: TenantStore, baseFor: BaseFor): Router {
  const router = express.Router();

  /** The named tenant, or for /common the one picked on the page (undefined while showing it). */
  const resolveTenant = (pathTenant: string, picked: unknown): Tenant | undefined => {
    if (MULTI_TENANT.includes(pathTenant.toLowerCase())) {
      if (picked === undefined) return undefined;
      const tenant = typeof picked === 'string' ? store.get(picked) : undefined;
      if (!tenant) throw tenantNotFound(String(picked));
      return tenant;
    }
    const tenant = store.get(pathTenant);
    if (!tenant) throw tenantNotFound(pathTenant);
    return tenant;
  };
  const action = (req: Request) => `${baseFor(req)}/${encodeURIComponent(String(req.params.tenant))}/adminconsent`;

  router.get('/:tenant/adminconsent', (req, res) => {
    const tenant = resolveTenant(String(req.params.tenant), undefined);
    const params = consentParams(req.query as Record<string, unknown>);
    const choices = tenant ? undefined : store.list().map((t) => ({ tenantId: t.tenantId, name: t.name }));
    if (choices && choices.length === 0) throw new EmulatorError(400, 'No tenants exist in this emulator yet.');
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        consentPage({
          action: action(req),
          clientId: params.clientId,
          redirectUri: params.redirectUri,
          ...(params.state !== undefined ? { state: params.state } : {}),
          ...(tenant ? { tenantName: tenant.name } : { tenantChoices: choices! }),
        }),
      );
  });

  router.post('/:tenant/adminconsent', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const pathTenant = String(req.params.tenant);
    const tenant = resolveTenant(pathTenant, MULTI_TENANT.includes(pathTenant.toLowerCase()) ? (body.tenant ?? '') : undefined)!;
    const { clientId, redirectUri, state } = consentParams(body);
    if (body.decision === 'accept') {
      tenant.recordConsent(clientId);
      return res.redirect(
        302,
        withQuery(
          redirectUri,
          [
            ['admin_consent', 'True'],
            ['tenant', tenant.tenantId],
            ['state', state],
          ],
          dotnetUrlEncode,
        ),
      );
    }
    if (body.decision === 'cancel') {
      const params: [string, string | undefined][] = [
        ['error', 'access_denied'],
        ['error_description', declined()],
        ['state', state],
      ];
      return res.redirect(302, withQuery(redirectUri, params, dotnetUrlEncode));
    }
    throw new EmulatorError(400, "decision must be 'accept' or 'cancel'");
  });

  return router;
}
