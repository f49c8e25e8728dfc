/**
 * Staff console: a tenancy's domain proofs, under /staff/tenants/:tid/domain-proofs (pages
 * redirect back to the tenant page) and /api/staff/tenants/:tid/domain-proofs (JSON).
 */
import { Router, type Request } from 'express';
import type { WebDeps } from '../../deps';
import { checkDomainNow, listProofs, overrideDomainProof, proposeDomain } from '../../../lib/domains/proofs';

const tid = (req: Request) => String(req.params.tid);
const domain = (req: Request) => String(req.params.domain);
const staff = (req: Request) => ({ kind: 'staff' as const, email: req.user!.email });

export function domainProofPages(deps: WebDeps): Router {
  const router = Router({ mergeParams: true });
  const back = (req: Request, done: string) => `/staff/tenants/${tid(req)}?done=${done}#domain-proofs`;
  router.post('/', async (req, res) => {
    await proposeDomain(deps, tid(req), req.body?.domain, staff(req));
    res.redirect(303, back(req, 'domain-proposed'));
  });
  router.post('/:domain/check', async (req, res) => {
    await checkDomainNow(deps, tid(req), domain(req));
    res.redirect(303, back(req, 'domain-check'));
  });
  router.post('/:domain/override', async (req, res) => {
    await overrideDomainProof(deps, tid(req), domain(req), req.user!.email, req.body?.reason);
    res.redirect(303, back(req, 'domain-override'));
  });
  return router;
}

export function domainProofApi(deps: WebDeps): Router {
  const router = Router({ mergeParams: true });
  router.get('/', async (req, res) => void res.json({ proofs: await listProofs(tid(req)) }));
  router.post('/', async (req, res) => void res.status(201).json(await proposeDomain(deps, tid(req), req.body?.domain, staff(req))));
  router.post('/:domain/check', async (req, res) => {
    await checkDomainNow(deps, tid(req), domain(req));
    res.status(202).json({ checking: true });
  });
  router.post('/:domain/override', async (req, res) => {
    res.json({ status: await overrideDomainProof(deps, tid(req), domain(req), req.user!.email, req.body?.reason) });
  });
  return router;
}
