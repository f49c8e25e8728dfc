/**
 * The SCIM 2.0 service provider, one per tenancy: `/scim/v2/<tenantId>/…` (RFC 7644), for
 * Entra's provisioning service. Mounted ahead of sessions, CSRF and the app's body parsers:
 * it is a bearer-token API with its own JSON parser (application/scim+json) and its own
 * error format. Handlers authenticate, call one use case, respond.
 */
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { authenticateScim, type ScimContext } from '../../lib/scim/context';
import { resourceTypeById, resourceTypes, schemaOf, schemas, serviceProviderConfig } from '../../lib/scim/discovery';
import { Refusal } from '../../lib/contracts/refusal';
import { isOutage } from '../../lib/outage';
import { errorBody, invalidSyntax, ScimError, scimNotFound, scimUnavailable, type ScimType } from '../../lib/scim/errors';
import { createGroup, deleteGroup, groupRepresentation, listGroups, liveGroup, replaceGroup } from '../../lib/scim/groups';
import { patchGroup } from '../../lib/scim/group-patch';
import { pageOf } from '../../lib/scim/listing';
import { createUser } from '../../lib/scim/user-create';
import { patchUser, replaceUser } from '../../lib/scim/user-change';
import { deleteScimUser } from '../../lib/scim/user-delete';
import { getUserResource, listUsers, type Projection } from '../../lib/scim/user-query';
import type { WebDeps } from '../deps';
import { requestContext } from '../http/request-context';

const send = (res: Response, status: number, body?: unknown) => {
  res.status(status).type('application/scim+json');
  return body === undefined ? res.end() : res.send(JSON.stringify(body));
};
const ctxOf = (res: Response) => res.locals.scim as ScimContext;
const query = (req: Request, name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
const projection = (req: Request): Projection => ({
  attributes: query(req, 'attributes'),
  excludedAttributes: query(req, 'excludedAttributes'),
});
const base = (req: Request, deps: WebDeps) => `${deps.config.PUBLIC_BASE_URL}/scim/v2/${String(req.params.tid).toLowerCase()}`;

export function scimRouter(deps: WebDeps): Router {
  const tenancy = Router({ mergeParams: true });
  tenancy.use(express.json({ type: ['application/scim+json', 'application/json'], limit: '10mb' }));

  // Discovery needs no secret: it is the same for every tenancy and names no one.
  tenancy.get('/ServiceProviderConfig', (req, res) => send(res, 200, serviceProviderConfig(base(req, deps))));
  tenancy.get('/ResourceTypes', (req, res) => send(res, 200, resourceTypes(base(req, deps))));
  tenancy.get('/ResourceTypes/:id', (req, res) => send(res, 200, found(resourceTypeById(base(req, deps), req.params.id), 'resource type')));
  tenancy.get('/Schemas', (req, res) => send(res, 200, schemas(base(req, deps))));
  tenancy.get('/Schemas/:id', (req, res) => send(res, 200, found(schemaOf(base(req, deps), req.params.id), 'schema')));

  tenancy.use(async (req, res, next) => {
    res.locals.scim = await authenticateScim(deps, String(req.params.tid), req.get('authorization'), requestContext(req));
    next();
  });

  tenancy.get('/Users', async (req, res) =>
    send(res, 200, await listUsers(ctxOf(res), query(req, 'filter'), pageOf(req.query), projection(req))),
  );
  tenancy.post('/Users', async (req, res) => {
    const created = await createUser(ctxOf(res), req.body);
    res.location(String(created.resource.meta && (created.resource.meta as { location: string }).location));
    send(res, created.status, created.resource);
  });
  tenancy.get('/Users/:id', async (req, res) => send(res, 200, await getUserResource(ctxOf(res), req.params.id, projection(req))));
  tenancy.put('/Users/:id', async (req, res) => send(res, 200, await replaceUser(ctxOf(res), req.params.id, req.body)));
  tenancy.patch('/Users/:id', async (req, res) => send(res, 200, await patchUser(ctxOf(res), req.params.id, req.body)));
  tenancy.delete('/Users/:id', async (req, res) => {
    await deleteScimUser(ctxOf(res), req.params.id);
    send(res, 204);
  });

  tenancy.get('/Groups', async (req, res) =>
    send(res, 200, await listGroups(ctxOf(res), query(req, 'filter'), pageOf(req.query), projection(req))),
  );
  tenancy.post('/Groups', async (req, res) => send(res, 201, await createGroup(ctxOf(res), req.body)));
  tenancy.get('/Groups/:id', async (req, res) =>
    send(res, 200, await groupRepresentation(ctxOf(res), await liveGroup(ctxOf(res), req.params.id), projection(req))),
  );
  tenancy.put('/Groups/:id', async (req, res) => send(res, 200, await replaceGroup(ctxOf(res), req.params.id, req.body)));
  tenancy.patch('/Groups/:id', async (req, res) => send(res, 200, await patchGroup(ctxOf(res), req.params.id, req.body)));
  tenancy.delete('/Groups/:id', async (req, res) => {
    await deleteGroup(ctxOf(res), req.params.id);
    send(res, 204);
  });

  tenancy.use((req) => {
    throw scimNotFound(
      `There is no SCIM endpoint ${req.method} ${req.path} (supported: Users, Groups, ServiceProviderConfig, ResourceTypes, Schemas; no Bulk, no /Me).`,
    );
  });
  tenancy.use(scimErrors);

  const router = Router();
  router.use('/scim/v2/:tid', tenancy);
  return router;
}

function found<T>(value: T | undefined, what: string): T {
  if (!value) throw scimNotFound(`No such ${what}.`);
  return value;
}

/**
 * Every failure in the SCIM error schema; internals are logged, never sent. A Refusal from a use
 * case outside SCIM keeps its status and message; the database or Temporal unavailable is a 503
 * (Entra retries it), anything else a 500.
 */
const scimErrors: ErrorRequestHandler = (err, req, res, _next) => {
  const error = scimFailure(err);
  if (!error) console.error(`scim: ${req.method} ${req.originalUrl} failed`, err);
  if (res.headersSent) return;
  const shown = error ?? { status: 500, message: 'Something went wrong on our side. It has been logged.' };
  if (shown.status === 503) res.set('Retry-After', '30');
  send(res, shown.status, errorBody(shown));
};

function scimFailure(err: unknown): { status: number; scimType?: ScimType; message: string } | undefined {
  const e = err as { type?: unknown; message?: unknown } | undefined;
  if (err instanceof ScimError) return err;
  if (err instanceof Refusal) return { status: err.status, message: err.shown().message };
  if (e?.type === 'entity.parse.failed') return invalidSyntax('The request body is not valid JSON.');
  if (e?.type === 'entity.too.large') return new ScimError(413, undefined, 'The request body is too large.');
  if (/^lock .* is busy/.test(String(e?.message))) return scimUnavailable('Another change of this resource is in progress; try again.');
  if (isOutage(err)) return scimUnavailable('A service we depend on is not answering. Try again in a moment.');
  return undefined;
}
