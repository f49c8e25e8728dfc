import { expect, test } from 'vitest';
import { safeLocalPath } from '../../lib/safe-path';

// Used for SAML RelayState and the sign-in page's `?next=`: an open redirect in either
// would hand a signed-in user to an attacker's site.
test.each([
  ['https://evil.example/x', 'absolute URL'],
  ['//evil.example', 'protocol-relative'],
  ['/\\evil.example', 'backslash (browsers read it as /)'],
  ['/\t/evil.example', 'tab (browsers drop it, leaving //)'],
  ['/\n/evil.example', 'newline'],
  ['javascript:alert(1)', 'scheme'],
  ['', 'empty'],
  ['/' + 'a'.repeat(2000), 'overlong'],
])('%j (%s) falls back to the home page', (value) => {
  expect(safeLocalPath(value)).toBe('/');
});

test.each(['/', '/files', '/hubs/65a0?tab=files', '/corporateregistration/abc/complete'])('%j is kept', (value) => {
  expect(safeLocalPath(value)).toBe(value);
});

test('non-strings fall back', () => {
  expect(safeLocalPath(undefined)).toBe('/');
  expect(safeLocalPath(['/files'])).toBe('/');
});
