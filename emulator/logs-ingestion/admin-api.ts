import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Faults } from './faults';
import type { IngestionState } from './state';

/**
 * JSON admin API under /_admin/ for processes that share the emulator (the dev stack, the
 * benchmark): apps, DCRs, role grants, faults and the rows received. Unauthenticated by design:
 * a dev/test tool bound to 127.0.0.1.
 */
const column = z.object({ name: z.string().min(1), type: z.enum(['string', 'datetime', 'int', 'long', 'real', 'boolean', 'dynamic']) });
const schemas = {
  app: z.strictObject({ directoryId: z.string().min(1), clientId: z.string().min(1), clientSecret: z.string().min(1) }),
  dcr: z.strictObject({
    immutableId: z
      .string()
      .regex(/^dcr-[0-9a-f]{32}$/)
      .optional(),
    streams: z.record(z.string(), z.array(column)),
    publishers: z.array(z.string()).optional(),
  }),
  publisher: z.strictObject({ clientId: z.string().min(1) }),
  fault: z.union([
    z.strictObject({
      kind: z.enum(['throttle', 'unavailable']),
      retryAfter: z.number().int().min(0).optional(),
      times: z.number().int().min(1).optional(),
    }),
    z.strictObject({ kind: z.enum(['error', 'forbidden', 'down']), times: z.number().int().min(1).optional() }),
    z.strictObject({
      kind: z.literal('slow'),
      delayMs: z.number().int().min(0),
      afterStore: z.boolean().optional(),
      times: z.number().int().min(1).optional(),
    }),
    z.strictObject({ kind: z.literal('drop'), afterStore: z.boolean().optional(), times: z.number().int().min(1).optional() }),
  ]),
  poison: z.strictObject({ eventIds: z.array(z.string()) }),
};

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new AdminError(400, r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

export function adminApi(state: IngestionState, faults: Faults): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  const dcrOf = (id: string) =>
    state.dcrs.get(id) ??
    (() => {
      throw new AdminError(404, `no DCR ${id}`);
    })();

  router.post('/apps', (req, res) => void res.status(201).json(state.registerApp(parse(schemas.app, req.body))));
  router.post('/dcrs', (req, res) => {
    const dcr = state.createDcr(parse(schemas.dcr, req.body));
    res.status(201).json({ immutableId: dcr.immutableId });
  });
  router.put('/dcrs/:id/publishers', (req, res) => {
    dcrOf(req.params.id).publishers.add(parse(schemas.publisher, req.body).clientId.toLowerCase());
    res.status(204).end();
  });
  router.delete('/dcrs/:id/publishers/:clientId', (req, res) => {
    dcrOf(req.params.id).publishers.delete(req.params.clientId.toLowerCase());
    res.status(204).end();
  });
  router.put('/faults', (req, res) => {
    faults.set(parse(schemas.fault, req.body));
    res.status(204).end();
  });
  router.delete('/faults', (_req, res) => {
    faults.set(undefined);
    faults.poisonEventIds.clear();
    res.status(204).end();
  });
  router.put('/poison', (req, res) => {
    for (const id of parse(schemas.poison, req.body).eventIds) faults.poisonEventIds.add(id);
    res.status(204).end();
  });
  router.get('/rows', (req, res) => {
    const { dcr, stream } = req.query as Record<string, string | undefined>;
    res.json({ rows: state.rows.filter((r) => (!dcr || r.dcr === dcr) && (!stream || r.stream === stream)) });
  });
  router.get(
    '/stats',
    (_req, res) =>
      void res.json({ rows: state.rows.length, answers: Object.fromEntries(state.answers), tokensIssued: state.tokensIssued() }),
  );
  router.delete('/rows', (_req, res) => {
    state.rows.length = 0;
    res.status(204).end();
  });
  router.use((err: Error, _req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof AdminError)) return next(err);
    res.status(err.status).json({ error: err.message });
  });
  return router;
}
