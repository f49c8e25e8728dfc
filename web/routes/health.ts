import { Router } from 'express';
import mongoose from 'mongoose';
import type { WebDeps } from '../deps';

/** Liveness/readiness for load balancers and the dev runner. */
export function healthRouter({ temporal }: WebDeps): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const mongo = mongoose.connection.readyState === 1;
    const temporalOk = await temporal.connection.workflowService.getSystemInfo({}).then(
      () => true,
      () => false,
    );
    res.status(mongo && temporalOk ? 200 : 503).json({ ok: mongo && temporalOk, mongo, temporal: temporalOk });
  });
  return router;
}
