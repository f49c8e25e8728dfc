import { expect, test } from 'vitest';
import { UnclaimedDomains } from '../../lib/sso/unclaimed-domains';

test('a domain seen unclaimed is remembered for its time only, and forgotten at once when claimed here', () => {
  const seen = new UnclaimedDomains(10_000, 100);
  seen.remember('contoso.example', 0);
  expect(seen.has('contoso.example', 9_999)).toBe(true);
  expect(seen.has('contoso.example', 10_000)).toBe(false);
  seen.remember('contoso.example', 20_000);
  seen.forget('contoso.example');
  expect(seen.has('contoso.example', 20_001)).toBe(false);
});

test('a spray of random domains does not grow the memory past its bound', () => {
  const seen = new UnclaimedDomains(10_000, 100);
  for (let i = 0; i < 1_000; i++) seen.remember(`d${i}.example`, 0);
  const kept = Array.from({ length: 1_000 }, (_, i) => seen.has(`d${i}.example`, 1)).filter(Boolean).length;
  expect(kept).toBeLessThanOrEqual(100);
  expect(seen.has('d999.example', 1)).toBe(true);
});
