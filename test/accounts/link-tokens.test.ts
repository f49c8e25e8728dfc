import { expect, test } from 'vitest';
import { LINK_TTL_MS, registrationFingerprint, signLink, verifyLink } from '../../lib/accounts/link-tokens';

const SECRET = 'a-test-secret-that-is-long-enough-0123';

test('a link verifies for its purpose until it expires', () => {
  const now = Date.UTC(2025, 0, 1);
  const token = signLink(SECRET, 'password-reset', 'user-1', '3', now);
  expect(verifyLink(SECRET, 'password-reset', token, now)).toEqual({ ok: true, userId: 'user-1', version: '3' });
  expect(verifyLink(SECRET, 'password-reset', token, now + LINK_TTL_MS['password-reset'] - 1).ok).toBe(true);
  expect(verifyLink(SECRET, 'password-reset', token, now + LINK_TTL_MS['password-reset'])).toEqual({ ok: false, reason: 'expired' });
  expect(LINK_TTL_MS['password-reset']).toBe(60 * 60 * 1000);
});

const OTHER_SECRET = 'another-secret-that-is-long-enough-0123';
const cases: {
  name: string;
  mutate: (t: string) => string;
  purpose?: 'confirm-email';
  secret?: string;
  reason: 'bad-signature' | 'malformed';
}[] = [
  { name: 'another purpose', mutate: (t) => t, purpose: 'confirm-email', reason: 'bad-signature' },
  { name: 'another secret', mutate: (t) => t, secret: OTHER_SECRET, reason: 'bad-signature' },
  {
    name: 'a changed payload (another user)',
    mutate: (t) =>
      `${Buffer.from(JSON.stringify({ p: 'password-reset', u: 'admin', v: '3', e: 9e15 })).toString('base64url')}.${t.split('.')[1]}`,
    reason: 'bad-signature',
  },
  { name: 'a truncated signature', mutate: (t) => t.slice(0, -2), reason: 'bad-signature' },
  { name: 'no signature', mutate: (t) => t.split('.')[0], reason: 'malformed' },
  { name: 'garbage', mutate: () => 'not a token at all', reason: 'malformed' },
];

test.each(cases)('a link with $name is refused', ({ mutate, purpose, secret, reason }) => {
  const token = signLink(SECRET, 'password-reset', 'user-1', '3');
  expect(verifyLink(secret ?? SECRET, purpose ?? 'password-reset', mutate(token))).toEqual({ ok: false, reason });
});

test('the registration fingerprint changes with the email or the password hash', () => {
  const a = registrationFingerprint('a@example.test', 'scrypt$1');
  expect(registrationFingerprint('a@example.test', 'scrypt$1')).toBe(a);
  expect(registrationFingerprint('b@example.test', 'scrypt$1')).not.toBe(a);
  expect(registrationFingerprint('a@example.test', 'scrypt$2')).not.toBe(a);
});
