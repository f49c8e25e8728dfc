import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createSelfSignedCertificate } from '../../emulator/x509';
import { heldCertificate, spValues, type ConnectInfo } from '../../lib/portal/connect';
import { portalConnectView } from '../../web/views/portal-connect';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T12:00:00Z');
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const certificate = (daysLeft: number) =>
  createSelfSignedCertificate({
    privateKey,
    publicKey,
    commonName: 'Microsoft Azure Federated SSO Certificate',
    notBefore: new Date(NOW.getTime() - 300 * DAY),
    notAfter: new Date(NOW.getTime() + daysLeft * DAY + 3_600_000),
  });

describe('the certificates on the Connect page', () => {
  test.each([
    [90, false],
    [30, false],
    [29, true],
    [1, true],
    [-3, true],
  ])('%i days left: expiring %s', (days, expiring) => {
    const held = heldCertificate(certificate(days), NOW);
    expect(held.daysLeft).toBe(days);
    expect(held.expiring).toBe(expiring);
    expect(held.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  const info = (days: number[], kind: ConnectInfo['kind'] = 'entra'): ConnectInfo => ({
    tenantId: 'ab4ee35a-0ed7-4f32-8825-287b8fbfb033',
    kind,
    sp: spValues({ PUBLIC_BASE_URL: 'https://entrada.example' }, 'ab4ee35a-0ed7-4f32-8825-287b8fbfb033'),
    certificates: days.map((d) => heldCertificate(certificate(d), NOW)),
  });
  const page = (i: ConnectInfo) => portalConnectView('Alpine', i, undefined, 'csrf').toString();

  test('a certificate near expiry, or expired, gets a warning; a fresh one does not', () => {
    expect(page(info([200]))).not.toContain('id="certificate-warning"');
    expect(page(info([200, 12]))).toContain('id="certificate-warning"');
    expect(page(info([200, 12]))).toContain('expires in 12 days');
    expect(page(info([-2]))).toMatch(/data-expiring="true">[\s\S]*?expired/);
  });

  test('each connection kind gets its own instructions with our values, and its own way to fetch metadata', () => {
    const entra = page(info([], 'entra'));
    expect(entra).toContain(
      'Reply URL (Assertion Consumer Service URL) <code>https://entrada.example/saml/ab4ee35a-0ed7-4f32-8825-287b8fbfb033/acs</code>',
    );
    expect(entra).toContain('data-action="fetch-metadata"');
    const okta = page(info([], 'okta'));
    expect(okta).toMatch(
      /Audience URI \(SP Entity ID\)<\/td><td><code>https:\/\/entrada.example\/saml\/ab4ee35a-0ed7-4f32-8825-287b8fbfb033<\/code>/,
    );
    expect(okta).toContain('data-action="fetch-idp-metadata"');
    expect(okta).not.toContain('data-action="fetch-metadata"');
    expect(page(info([], 'saml'))).toMatch(
      /Assertion Consumer Service, HTTP-POST[^<]*<\/td><td><code>https:\/\/entrada.example\/saml\/[^/]+\/acs</,
    );
  });
});
