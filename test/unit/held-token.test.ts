import { randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { openHeldSignIn, sealHeldSignIn } from '../../lib/saml/held-token';
import type { SsoClaims } from '../../lib/sso/claims';

/**
 * A held IdP-initiated sign-in sealed into its address: only the key that sealed it opens it,
 * only for the tenancy it was sealed for, and any change to it is refused.
 */
const config = { SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
const claims: SsoClaims = {
  objectId: '6f1c7d2e-0000-4000-8000-000000000001',
  email: 'alex@idp.example',
  nameId: 'alex@idp.example',
  groups: ['g1'],
  groupsOverage: false,
  roles: [],
  authnMethods: [],
  assertionId: '_a1',
  idpInitiated: true,
};
const expiresAt = new Date('2026-01-01T00:05:00Z');
const once = { key: 'saml-assertion:tenant-a:_a1', expiresAt: new Date('2026-01-01T01:08:00Z') };
const held = { tenantId: 'tenant-a', claims, relayState: '/files', once };

test('opens for its tenancy with the key that sealed it, and shows no personal data', async () => {
  const handle = await sealHeldSignIn(config, held, expiresAt);
  expect(handle).not.toContain('alex');
  expect(Buffer.from(handle.split('.')[2]!, 'base64url').toString('latin1')).not.toContain('alex');
  // The assertion's single-use claim travels with it, so the step can finish it once.
  expect(await openHeldSignIn(config, 'tenant-a', handle)).toEqual({ held, expiresAt });
  // A fresh IV each time: two holds of one sign-in are different addresses.
  expect((await sealHeldSignIn(config, held, expiresAt)).split('.')[0]).not.toBe(handle.split('.')[0]);
});

test('refused when moved to another tenancy, altered, or sealed under another key', async () => {
  const handle = await sealHeldSignIn(config, held, expiresAt);
  expect(await openHeldSignIn(config, 'tenant-b', handle)).toBeUndefined();
  const [iv, tag, data] = handle.split('.') as [string, string, string];
  const flipped = Buffer.from(data, 'base64url');
  flipped[0] ^= 1;
  expect(await openHeldSignIn(config, 'tenant-a', `${iv}.${tag}.${flipped.toString('base64url')}`)).toBeUndefined();
  expect(await openHeldSignIn(config, 'tenant-a', `${iv}.${'A'.repeat(22)}.${data}`)).toBeUndefined();
  const other = { SECRETS_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
  expect(await openHeldSignIn(other, 'tenant-a', handle)).toBeUndefined();
  expect(await openHeldSignIn(config, 'tenant-a', 'not-a-handle')).toBeUndefined();
});
