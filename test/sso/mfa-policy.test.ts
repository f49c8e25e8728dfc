/**
 * A tenancy that requires multi-factor authentication: staff switch the policy on, a sign-in
 * whose token does not show MFA (authnmethodsreferences) is refused as `mfa-required` with a
 * page that says what to do, and one that completed MFA at Entra signs in. The emulator
 * issues tokens with or without MFA per user.
 */
import { beforeAll, expect, test } from 'vitest';
import { UserModel } from '../../lib/models';
import { connectTenant, SsoBrowser, type SsoTenant } from '../support/sso';
import { useStack } from '../support/stack';
import { accountSnapshot, lastRejection } from './support';

const stack = useStack({ entra: true, workers: true, staff: 'sam@entrada.test' });
let t: SsoTenant;

beforeAll(async () => {
  t = await connectTenant(stack, { domains: ['mfa.example'] });
  t.emulated.addUser({ email: 'pat@mfa.example' });
  t.emulated.addUser({ email: 'kim@mfa.example', mfa: true });
});

const setPolicy = (requireMfa: unknown) => stack.staff.api('POST', `/api/staff/tenants/${t.tenantId}/sso-policy`, { requireMfa });

test('with MFA required, a password-only sign-in is refused with a page that explains it; an MFA sign-in works', async () => {
  expect((await new SsoBrowser(stack.env, t).signIn('pat@mfa.example')).status).toBe(303); // no policy yet
  expect((await setPolicy('yes')).status).toBe(400);
  expect((await setPolicy(true)).body).toEqual({ requireMfa: true });

  const before = await accountSnapshot();
  const refused = await new SsoBrowser(stack.env, t).signIn('pat@mfa.example');
  expect(refused.status).toBe(403);
  const page = await refused.text();
  expect(page).toContain('Multi-factor authentication required');
  expect(page).toContain('complete the extra verification step');
  const rejection = await lastRejection();
  expect(rejection).toMatchObject({
    reason: 'mfa-required',
    details: {
      expected: ['http://schemas.microsoft.com/claims/multipleauthn', 'mfa'],
      received: ['http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password'],
    },
  });
  expect(page).toContain(rejection!.reference);
  expect(await accountSnapshot()).toEqual(before);

  const kim = new SsoBrowser(stack.env, t);
  expect((await kim.signIn('kim@mfa.example')).status).toBe(303);
  expect(await kim.whoAmI()).toBe('kim@mfa.example');
  expect(await UserModel.countDocuments({ email: 'kim@mfa.example' })).toBe(1);

  // Switched off again: the password-only sign-in works from the next request.
  await setPolicy(false);
  expect((await new SsoBrowser(stack.env, t).signIn('pat@mfa.example')).status).toBe(303);
});
