/**
 * Our failures are never the customer's fault: a database or Temporal failure at any step of
 * the ACS is answered 503 "try again" with a reference, audited as `sso.error` (never as a
 * SAML refusal reason, never as onboarding evidence), and leaves nothing half-written: no
 * signed-in session, no user or identity created. Each row makes exactly one call fail once.
 */
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { AuditEventModel, ClaimModel, SessionModel, SsoIdentityModel, TenantModel, UserModel } from '../../lib/models';
import { createUser } from '../support/people';
import { failNextCall, failNextCollectionCall, failNextQuery, temporalDown } from '../support/faults';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { accountSnapshot } from './support';
import { useStack } from '../support/stack';

const stack = useStack({ entra: true, config: { MIGRATION_ACS_WAIT: '1s' } });
let tenant: SsoTenant;

beforeAll(async () => {
  // No workers: a migration is started but never runs, so only the ACS writes anything here.
  // In testing, refusals and provisioning would be reported to onboarding: none may be here.
  tenant = await connectTenant(stack, { stage: 'testing', domains: ['contoso.example'] });
});
afterEach(() => {
  vi.restoreAllMocks();
});

type Person = 'new' | 'password account' | 'returning';
interface Fault {
  step: string;
  person: Person;
  inject(): void;
}

const temporal = () => stack.env.temporal.workflowService;
const faults: Fault[] = [
  { step: 'reading the tenant’s SAML settings', person: 'new', inject: () => failNextQuery(TenantModel, 'findOne') },
  { step: 'claiming the assertion ID and the request ID', person: 'new', inject: () => failNextCollectionCall(ClaimModel, 'insertMany') },
  { step: 'looking up the identity', person: 'new', inject: () => failNextQuery(SsoIdentityModel, 'findOne') },
  { step: 'looking up the account by email', person: 'new', inject: () => failNextQuery(UserModel, 'findOne') },
  { step: 'creating the account', person: 'new', inject: () => failNextCall(UserModel, 'create') },
  { step: 'binding the identity to the new account', person: 'new', inject: () => failNextCall(SsoIdentityModel, 'create') },
  { step: 'auditing the provisioning', person: 'new', inject: () => failNextCollectionCall(AuditEventModel, 'insertMany') },
  {
    // One call starts the migration and waits for its account (update-with-start): the
    // progress page's later asks are test/sso/migration-failure.test.ts.
    step: 'Temporal: starting the migration and waiting for its account',
    person: 'password account',
    inject: () => vi.spyOn(temporal(), 'executeMultiOperation').mockRejectedValueOnce(temporalDown()),
  },
  { step: 'reading the account the identity is bound to', person: 'returning', inject: () => failNextQuery(UserModel, 'findOne') },
  { step: 'writing the session', person: 'returning', inject: () => failNextQuery(SessionModel, 'replaceOne') },
  { step: 'auditing the sign-in', person: 'returning', inject: () => failNextCollectionCall(AuditEventModel, 'insertMany') },
];

let people = 0;
/** A person of that kind who has just started a login (nothing of the ACS has run yet). */
async function personAtTheAcs(kind: Person) {
  const email = `person${++people}@contoso.example`;
  tenant.emulated.addUser({ email });
  if (kind === 'password account') await createUser({ email });
  if (kind === 'returning') expect((await new SsoBrowser(stack.env, tenant).signIn(email)).status).toBe(303);
  const browser = new SsoBrowser(stack.env, tenant);
  const { requestId } = await browser.startLogin();
  return { email, browser, samlResponse: browser.issue(email, { inResponseTo: requestId }).samlResponse };
}

describe('a database or Temporal failure in the ACS', () => {
  test.each(faults)('$step ($person) → 503, sso.error, nothing half-written', async ({ person, inject }) => {
    const { email, browser, samlResponse } = await personAtTheAcs(person);
    const before = await accountSnapshot();
    const events = await AuditEventModel.countDocuments({ action: { $in: ['saml.rejected', 'sso.signed-in'] } });
    const signals = vi.spyOn(temporal(), 'signalWorkflowExecution');

    inject();
    const res = await browser.postAcs(samlResponse);
    const page = await res.text();

    expect(res.status, page).toBe(503);
    expect(page).toContain('Try again');
    const error = await AuditEventModel.findOne({ action: 'sso.error' }).sort({ _id: -1 }).lean();
    expect(error).toMatchObject({ outcome: 'failure', tenantId: tenant.tenantId });
    expect(page).toContain(String(error!._id));
    expect(page).not.toMatch(/injected fault|UNAVAILABLE|malformed|signature/i);
    expect(await AuditEventModel.countDocuments({ action: { $in: ['saml.rejected', 'sso.signed-in'] } })).toBe(events);
    expect(signals).not.toHaveBeenCalled();
    expect(await accountSnapshot()).toEqual(before);
    expect(await browser.whoAmI()).toBeUndefined();
    signals.mockRestore();

    // It was ours, and passing: the same person signs in with a fresh login.
    if (person !== 'password account') expect((await browser.signIn(email)).status).toBe(303);
  });
});
