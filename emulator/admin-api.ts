/**
 * JSON admin API under /_admin/, for the dev banner, dev scripts and browser tests running in
 * other processes. Mirrors the programmatic API one-to-one. Input is validated with zod;
 * every error is `{ error }` with 400 (bad input), 404 (unknown tenant/user/cert) or 409 (exists).
 * This API is unauthenticated by design: the emulator is a dev/test tool bound to 127.0.0.1.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { EmulatorError } from './errors';
import { dnsAdminApi } from './dns/admin';
import type { DnsZones } from './dns/zones';
import type { BaseFor } from './sso';
import { userSchema } from './state';
import type { TenantStore } from './tenant-store';
import type { Tenant } from './tenants';
import type { OktaApp, OktaApps } from './okta/org';
import { isHttpUrl } from './urls';

const signing = z.enum(['assertion', 'response', 'both']);
const httpUrl = z.string().refine(isHttpUrl, 'must be an absolute http(s) URL');
const schemas = {
  tenant: z.strictObject({
    tenantId: z.string().min(1).max(100).optional(),
    name: z.string().min(1).max(200).optional(),
    signing: signing.optional(),
    appId: z.string().min(1).max(200).optional(),
  }),
  tenantPatch: z.strictObject({ name: z.string().min(1).max(200).optional(), signing: signing.optional() }),
  user: z.strictObject({ ...userSchema.shape, email: z.email() }),
  groups: z.strictObject({ groups: z.array(z.string().min(1).max(200)).max(5000) }),
  application: z.strictObject({
    entityId: z.string().min(1).max(2048),
    replyUrl: httpUrl.optional(),
    logoutUrl: httpUrl.optional(),
    relayState: z.string().max(2048).optional(),
  }),
  graph: z.strictObject({
    pageSize: z.number().int().min(0).max(1000).optional(),
    throttle: z.strictObject({ calls: z.number().int().min(0).max(1000), retryAfterSeconds: z.number().int().min(0).max(3600) }).optional(),
  }),
  groupNesting: z.strictObject({ child: z.string().min(1).max(200), parent: z.string().min(1).max(200) }),
  logoutRequest: z.strictObject({
    nameId: z.string().min(1).max(512),
    sessionIndex: z.string().min(1).max(512).optional(),
    destination: httpUrl,
    relayState: z.string().max(2048).optional(),
  }),
  oktaApp: z.strictObject({
    name: z.string().min(1).max(200).optional(),
    nameId: z.enum(['email', 'persistent']).optional(),
    sp: z.strictObject({ acsUrl: httpUrl, audience: z.string().min(1).max(2048) }).optional(),
  }),
  samlResponse: z.strictObject({
    email: z.string().min(1),
    acsUrl: httpUrl,
    audience: z.string().min(1),
    inResponseTo: z.string().min(1).optional(),
    relayState: z.string().max(2048).optional(),
  }),
};

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw new EmulatorError(400, result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
}

export function tenantJson(t: Tenant, base: string) {
  const tenantUrl = `${base}/${encodeURIComponent(t.tenantId)}`;
  return {
    tenantId: t.tenantId,
    name: t.name,
    signing: t.signing,
    ...(t.appId ? { appId: t.appId } : {}),
    issuer: t.issuer,
    metadataUrl: `${tenantUrl}/federationmetadata/2007-06/federationmetadata.xml`,
    ssoUrl: `${tenantUrl}/saml2`,
    users: t.users(),
    certificates: t.signingCertificates(),
    consents: t.consentRecords().map((c) => c.clientId),
    applications: t.applications(),
  };
}

function oktaAppJson(app: OktaApp) {
  return {
    appId: app.appId,
    name: app.name,
    issuer: app.issuer,
    ssoUrl: app.ssoUrl(),
    metadataUrl: app.metadataUrl(),
    users: app.users(),
    certificates: app.signingCertificates(),
  };
}

export function adminApi(store: TenantStore, okta: OktaApps, baseFor: BaseFor, zones: DnsZones): Router {
  const r = express.Router();
  r.use(express.json({ limit: '1mb' }));
  const tenant = (req: Request): Tenant => {
    const t = store.get(String(req.params.tid));
    if (!t) throw new EmulatorError(404, `Tenant '${String(req.params.tid)}' not found`);
    return t;
  };
  const user = (t: Tenant, email: string) => {
    const u = t.findUser(email);
    if (!u) throw new EmulatorError(404, `No user '${email}' in tenant ${t.tenantId}`);
    return u;
  };
  const p = (req: Request, name: string) => String(req.params[name]);

  r.get('/tenants', (req, res) => void res.json(store.list().map((t) => tenantJson(t, baseFor(req)))));
  r.post('/tenants', (req, res) => void res.status(201).json(tenantJson(store.create(parse(schemas.tenant, req.body)), baseFor(req))));
  r.get('/tenants/:tid', (req, res) => void res.json(tenantJson(tenant(req), baseFor(req))));
  r.patch('/tenants/:tid', (req, res) => {
    const t = tenant(req);
    const patch = parse(schemas.tenantPatch, req.body);
    if (patch.name) t.name = patch.name;
    if (patch.signing) t.signing = patch.signing;
    res.json(tenantJson(t, baseFor(req)));
  });

  r.post('/tenants/:tid/users', (req, res) => void res.status(201).json(tenant(req).addUser(parse(schemas.user, req.body))));
  r.delete('/tenants/:tid/users/:email', (req, res) => {
    tenant(req).removeUser(p(req, 'email'));
    res.status(204).end();
  });
  r.post('/tenants/:tid/users/:email/recreate', (req, res) => void res.json(tenant(req).recreateUser(p(req, 'email'))));
  r.put('/tenants/:tid/users/:email/groups', (req, res) => {
    const t = tenant(req);
    t.setGroups(p(req, 'email'), parse(schemas.groups, req.body).groups);
    res.json(user(t, p(req, 'email')));
  });

  r.post('/tenants/:tid/certificates', (req, res) => void res.status(201).json(tenant(req).addSigningCertificate()));
  r.post('/tenants/:tid/certificates/:thumbprint/activate', (req, res) => {
    const t = tenant(req);
    t.activateSigningCertificate(p(req, 'thumbprint'));
    res.json(t.signingCertificates());
  });
  r.delete('/tenants/:tid/certificates/:thumbprint', (req, res) => {
    tenant(req).removeSigningCertificate(p(req, 'thumbprint'));
    res.status(204).end();
  });

  r.post('/tenants/:tid/applications', (req, res) => {
    const t = tenant(req);
    t.registerApplication(parse(schemas.application, req.body));
    res.status(201).json(t.applications());
  });
  r.post(
    '/tenants/:tid/logout-requests',
    (req, res) => void res.json(tenant(req).issueLogoutRequest(parse(schemas.logoutRequest, req.body))),
  );
  r.post('/tenants/:tid/saml-responses', (req, res) => void res.json(tenant(req).issueSamlResponse(parse(schemas.samlResponse, req.body))));

  const oktaApp = (req: Request): OktaApp => {
    const app = okta.get(p(req, 'appId'));
    if (!app) throw new EmulatorError(404, `Okta app '${p(req, 'appId')}' not found`);
    return app;
  };
  r.get('/okta/apps', (_req, res) => void res.json(okta.list().map(oktaAppJson)));
  r.post('/okta/apps', (req, res) => void res.status(201).json(oktaAppJson(okta.create(parse(schemas.oktaApp, req.body)))));
  r.get('/okta/apps/:appId', (req, res) => void res.json(oktaAppJson(oktaApp(req))));
  r.post('/okta/apps/:appId/users', (req, res) => void res.status(201).json(oktaApp(req).addUser(parse(schemas.user, req.body))));
  r.post('/okta/apps/:appId/users/:email/recreate', (req, res) => void res.json(oktaApp(req).recreateUser(p(req, 'email'))));

  r.use('/dns', dnsAdminApi(zones));

  r.use((_req: Request, res: Response) => void res.status(404).json({ error: 'No such admin endpoint' }));
  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof EmulatorError) return void res.status(err.status).json({ error: err.message });
    const status = (err as { status?: number }).status; // body-parser: malformed JSON, too large
    if (status && status >= 400 && status < 500) return void res.status(status).json({ error: (err as Error).message });
    res.status(500).json({ error: 'Internal emulator error' });
  });
  return r;
}
