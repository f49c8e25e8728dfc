import type { Request } from 'express';
import { notFound } from '../../lib/errors';
import type { SsoClaims } from '../../lib/sso/claims';
import { continueSsoSignIn, type PendingWork, type SsoSignInResult } from '../../lib/sso/sign-in';
import type { WebDeps } from '../deps';
import { signInTenant } from './acs';
import type { RefusalContext } from './refusal';
import { startSsoSession } from './session';

/** A poll waits this long for the workflow before answering "still working". */
const POLL_WAIT_MS = 2_000;

const SEGMENT: Record<PendingWork['kind'], string> = { migration: 'migration', replacement: 'preparing' };
export const PENDING_KINDS = Object.entries(SEGMENT).map(([kind, segment]) => ({ kind: kind as PendingWork['kind'], segment }));

export function pendingPaths(work: PendingWork): { status: string; page: string } {
  const page = `/saml/${SEGMENT[work.kind]}/${work.userId}`;
  return { page, status: `${page}/status` };
}

/** Keeps a verified sign-in in this browser's session until its workflow is done. */
export function rememberPending(
  req: Request,
  tenantId: string,
  result: Extract<SsoSignInResult, { kind: 'pending' }>,
  claims: SsoClaims,
  relayState: string,
): void {
  req.session.pendingSso = { tenantId, claims, work: result.work, relayState };
}

export type PendingProgress = { state: 'done'; next: string } | { state: 'pending'; work: PendingWork };

/**
 * One poll of the waiting page: waits briefly for the workflow, then signs the person in
 * (fresh session) once it is done. Only the session the ACS verified can continue it.
 */
export async function pollPending(
  deps: WebDeps,
  req: Request,
  kind: PendingWork['kind'],
  userId: string,
  ctx: RefusalContext,
): Promise<PendingProgress> {
  const pending = req.session.pendingSso;
  if (!pending || pending.work.kind !== kind || pending.work.userId !== userId)
    throw notFound('No sign-in is waiting here. Sign in again.');
  ctx.tenantId = pending.tenantId;
  ctx.claims = pending.claims;
  const tenant = await signInTenant(deps, pending.tenantId);
  ctx.tenant = tenant;
  const result = await continueSsoSignIn(deps, tenant, pending.claims, pending.work, POLL_WAIT_MS);
  if (result.kind === 'pending') return { state: 'pending', work: result.work };
  await startSsoSession(deps, req, result, tenant, pending.claims);
  return { state: 'done', next: pending.relayState };
}
