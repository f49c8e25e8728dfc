/**
 * Test sign-ins from the portal: a tenancy admin starts an SP-initiated sign-in flagged as a
 * test (its AuthnRequest ID names the run), the IdP answers the ACS as usual, and the ACS runs
 * the whole check chain but records the outcome here, success or the exact refusal, instead of
 * signing anyone in (web/saml/test-sign-in.ts). The admin stays signed in as themselves.
 *
 * A success is bound by the signed assertion's InResponseTo. A refusal can only be matched by
 * the Response's unsigned InResponseTo (the message may never get as far as a valid
 * signature), so whoever knows a test request's ID could record a refusal on it: a report, not
 * an authority, and the reference names its `saml.rejected` audit event.
 */
import { Types } from 'mongoose';
import { audit } from '../audit';
import { SsoTestRunModel, type SsoTestResult } from '../models';
import type { RequestIds } from '../saml/request-ids';
import type { SessionUser } from '../accounts/session-user';
import type { RequestContext } from '../accounts/context';
import type { SsoClaims } from '../sso/claims';
import type { SamlRejection } from '../saml/rejection';
import { notFound } from '../errors';

export type TestRun = {
  id: string;
  tenantId: string;
  startedBy: { userId: string; email: string };
  startedAt: Date;
  result?: SsoTestResult;
};

export async function startTestRun(tenantId: string, user: SessionUser, ctx: RequestContext): Promise<string> {
  const run = await SsoTestRunModel.create({ tenantId, startedBy: { userId: user.id, email: user.email } });
  const id = String(run._id);
  await auditTestSignIn('portal.test-sign-in.started', 'success', tenantId, user, ctx, { runId: id });
  return id;
}

/** A test sign-in event of the tenancy, by the admin (or staff) who started or tried to start it. */
export function auditTestSignIn(
  action: string,
  outcome: 'success' | 'denied',
  tenantId: string,
  user: SessionUser,
  ctx: RequestContext,
  details: Record<string, unknown>,
): Promise<string> {
  return audit({
    action,
    outcome,
    actor: { kind: user.isStaff ? 'staff' : 'user', userId: user.id, email: user.email },
    target: { type: 'tenant', id: tenantId },
    tenantId,
    ...ctx,
    details,
  });
}

/**
 * A test sign-in's AuthnRequest ID names its run, under the ID's MAC (lib/saml/request-ids.ts), so
 * the run in an ID we issued for this tenancy is ours, signed InResponseTo or not: the ACS knows a
 * test with no look-up, and a refusal of an ordinary sign-in costs none either.
 */
export const testRunOfRequest = (ids: RequestIds, tenantId: string, requestId: string | undefined): string | undefined =>
  ids.verify(tenantId, requestId)?.testRunId;

const who = (claims: SsoClaims | undefined) =>
  claims
    ? {
        email: claims.email,
        objectId: claims.objectId,
        ...(claims.displayName ? { displayName: claims.displayName } : {}),
        groups: claims.groups,
      }
    : {};

export const testSucceeded = (claims: SsoClaims): SsoTestResult => ({ outcome: 'success', at: new Date(), ...who(claims) });

export const testRefused = (rejection: SamlRejection, claims: SsoClaims | undefined): SsoTestResult => ({
  outcome: 'refused',
  at: new Date(),
  reason: rejection.reason,
  message: rejection.message,
  ...(rejection.reference ? { reference: rejection.reference } : {}),
  ...who(claims),
});

/** Records the run's first result (a second answer to the same request is refused by the chain anyway), audited. */
export async function recordTestResult(tenantId: string, runId: string, result: SsoTestResult): Promise<void> {
  const run = await SsoTestRunModel.findOneAndUpdate(
    { _id: runId, tenantId, result: { $exists: false } },
    { $set: { result } },
    { returnDocument: 'after' },
  ).lean();
  if (!run) return;
  await audit({
    action: 'portal.test-sign-in.result',
    outcome: result.outcome === 'success' ? 'success' : 'denied',
    actor: { kind: 'user', userId: run.startedBy.userId, email: run.startedBy.email },
    target: { type: 'tenant', id: tenantId },
    tenantId,
    details: {
      runId,
      outcome: result.outcome,
      ...(result.reason ? { reason: result.reason } : {}),
      ...(result.email ? { email: result.email } : {}),
    },
  });
}

const shape = (r: {
  _id: unknown;
  tenantId: string;
  startedBy: TestRun['startedBy'];
  startedAt: Date;
  result?: SsoTestResult | null;
}): TestRun => ({
  id: String(r._id),
  tenantId: r.tenantId,
  startedBy: r.startedBy,
  startedAt: r.startedAt,
  ...(r.result ? { result: r.result } : {}),
});

/** The tenancy's latest test sign-ins, newest first. */
export async function listTestRuns(tenantId: string, limit = 10): Promise<TestRun[]> {
  const rows = await SsoTestRunModel.find({ tenantId }).sort({ startedAt: -1, _id: -1 }).limit(limit).lean();
  return rows.map(shape);
}

export async function findTestRun(tenantId: string, runId: string): Promise<TestRun> {
  const row = Types.ObjectId.isValid(runId) ? await SsoTestRunModel.findOne({ _id: runId, tenantId }).lean() : null;
  if (!row) throw notFound('No such test sign-in.');
  return shape(row);
}
