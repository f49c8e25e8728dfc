/**
 * Test sign-ins from the portal: a tenancy admin starts an SP-initiated sign-in flagged as a
 * test (its AuthnRequest ID and row name the run), the IdP answers the ACS as usual, and the ACS runs
 * the whole check chain but records the outcome here, success or the exact refusal, instead of
 * signing anyone in (web/saml/test-sign-in.ts). The admin stays signed in as themselves.
 *
 * A success is bound by the signed assertion's InResponseTo. A refusal can only be matched by
 * the Response's unsigned InResponseTo (the message may never get as far as a valid
 * signature), so whoever knows a test request's ID could record a refusal on it: a report, not
 * an authority, and the reference names its `saml.rejected` audit event.
 */
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { audit } from '../audit';
import { SamlRequestModel, SsoTestRunModel, type SsoTestResult } from '../models';
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
 * A test sign-in's AuthnRequest ID carries its run (`_test_<run id>_<random>`, an NCName like
 * node-saml's own `_<hex>`), so the ACS knows a test from the signed InResponseTo without a
 * look-up: every returning user's sign-in would otherwise pay one. Only IDs we stored pass
 * node-saml's InResponseTo check, so the run in a verified one is ours.
 */
const TEST_REQUEST_ID = /^_test_([0-9a-f]{24})_[0-9a-f]{32}$/;
export const testRequestId = (runId: string) => `_test_${runId}_${randomBytes(16).toString('hex')}`;

/** The test run of a verified request ID (the signed assertion answers it), if it is a test's. */
export const testRunOfVerifiedRequest = (requestId: string | undefined) => (requestId && TEST_REQUEST_ID.exec(requestId)?.[1]) || undefined;

/**
 * The test run of an unverified request ID (a refused Response's InResponseTo): only if this
 * tenancy issued that request for that run. Refusals of ordinary sign-ins cost no look-up.
 */
export async function testRunOfRequest(tenantId: string, requestId: string | undefined): Promise<string | undefined> {
  const runId = testRunOfVerifiedRequest(requestId);
  if (!runId) return undefined;
  const row = await SamlRequestModel.findOne({ requestId, tenantId }, { testRunId: 1 }).lean();
  return row?.testRunId === runId ? runId : undefined;
}

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
