/**
 * A tenancy's connection settings: presets that validate, inconsistent settings refused with
 * the field named, and the data migration that writes the Entra connection of tenancies stored
 * before connection kinds without changing how they sign in.
 */
import { describe, expect, test } from 'vitest';
import { newSigningCertificate } from '../../emulator/certificates';
import { fillMissingConnections } from '../../lib/idp/fill-connections';
import { entraClaims, oktaSettings } from '../../lib/idp/presets';
import { validateConnectionSettings, type ConnectionSettingsInput } from '../../lib/idp/settings';
import { TenantModel } from '../../lib/models';
import { loadTenantSaml } from '../../lib/saml/tenant-config';
import { Refusal } from '../../lib/contracts/refusal';
import { useStack } from '../support/stack';

const stack = useStack({ web: false });
const cert = newSigningCertificate();
const okta = () =>
  oktaSettings({
    idpEntityId: 'http://www.okta.com/exk1a2b3c4',
    ssoUrl: 'https://acme.okta.com/app/x/sso/saml',
    certificates: [cert.certPem],
  });

function refusedField(input: unknown, production = true): string {
  try {
    validateConnectionSettings(input, { production });
  } catch (err) {
    expect(err).toBeInstanceOf(Refusal);
    return (err as Refusal & { details?: { field?: string } }).details?.field ?? `no field in ${(err as Error).message}`;
  }
  throw new Error('settings were accepted');
}

describe('connection settings', () => {
  test('the Okta preset is valid: both signatures, emailAddress NameID, userId as the stable subject', () => {
    const settings = validateConnectionSettings(okta(), { production: true });
    expect(settings).toMatchObject({ kind: 'okta', signing: 'both', nameIdFormat: 'email', ssoBinding: 'redirect' });
    expect(settings.claims).toMatchObject({ subject: { from: 'attribute', attribute: 'userId' }, email: ['email'], groups: 'groups' });
    const persistent = oktaSettings({
      ...okta(),
      certificates: [cert.certPem],
      idpEntityId: 'http://www.okta.com/x',
      nameId: 'persistent',
    });
    expect(validateConnectionSettings(persistent, { production: true }).claims.subject).toEqual({ from: 'nameid' });
  });

  test.each<[string, (s: ConnectionSettingsInput) => unknown, string]>([
    ['no certificate', (s) => ({ ...s, certificates: [] }), 'certificates'],
    [
      'a certificate that is not one',
      (s) => ({ ...s, certificates: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'] }),
      'certificates.0',
    ],
    ['an http SSO URL in production', (s) => ({ ...s, ssoUrl: 'http://acme.okta.com/sso' }), 'ssoUrl'],
    ['an http SLO URL in production', (s) => ({ ...s, sloUrl: 'http://acme.okta.com/slo' }), 'sloUrl'],
    ['an unknown binding', (s) => ({ ...s, ssoBinding: 'artifact' }), 'ssoBinding'],
    ['an unknown kind', (s) => ({ ...s, kind: 'ldap' }), 'kind'],
    ['no issuer', (s) => ({ ...s, idpEntityId: ' ' }), 'idpEntityId'],
    ['no email attribute', (s) => ({ ...s, claims: { ...s.claims, email: [] } }), 'claims.email'],
    ['a NameID subject with an email NameID', (s) => ({ ...s, claims: { ...s.claims, subject: { from: 'nameid' } } }), 'claims.subject'],
    ['an org attribute with no value', (s) => ({ ...s, claims: { ...s.claims, org: { attribute: 'org' } } }), 'claims.org.value'],
  ])('refused, field named: %s', (_name, change, field) => {
    expect(refusedField(change(okta()))).toBe(field);
  });

  test('http IdP URLs are accepted outside production (the emulators speak http)', () => {
    expect(validateConnectionSettings({ ...okta(), ssoUrl: 'http://127.0.0.1:9/sso' }, { production: false }).ssoUrl).toBe(
      'http://127.0.0.1:9/sso',
    );
  });
});

describe('filling the connection of tenancies stored before connection kinds', () => {
  test('writes Entra with its tenant ID as the required tenantid, once, and sign-in settings read the same', async () => {
    const tenantId = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
    const saml = { idpEntityId: `https://sts.windows.net/${tenantId}/`, ssoUrl: 'https://login.example/saml2', configuredAt: new Date() };
    // Written as the previous release did: no connection field at all.
    await TenantModel.collection.insertOne({ tenantId, name: 'Old', stage: 'live', domains: [], configVersion: 3, saml });
    const other = await TenantModel.create({
      tenantId: '1f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
      name: 'Okta org',
      connection: { kind: 'okta', ssoBinding: 'redirect', nameIdFormat: 'email', claims: okta().claims },
    });
    const before = await loadTenantSaml(stack.env.config, tenantId);

    expect(await fillMissingConnections()).toBe(1);
    expect(await fillMissingConnections()).toBe(0);

    const stored = (await TenantModel.findOne({ tenantId }).lean())!;
    expect(stored.connection).toMatchObject({ kind: 'entra', ssoBinding: 'redirect', nameIdFormat: 'unspecified' });
    expect(stored.connection!.claims).toEqual(entraClaims(tenantId));
    expect(stored.configVersion).toBe(3);
    expect((await TenantModel.findById(other._id).lean())!.connection!.kind).toBe('okta');
    const after = await loadTenantSaml(stack.env.config, tenantId);
    expect(after?.connection).toEqual(before?.connection);
    expect(after?.connection.issuer).toBe(`https://sts.windows.net/${tenantId}/`);
  });
});
