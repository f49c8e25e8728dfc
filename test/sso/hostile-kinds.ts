/**
 * The hostile SAML suite runs once per connection kind. Each kind brings a victim tenancy, a
 * group-gated one, an attacker who controls another IdP of the same kind (its own keys: it can
 * sign anything), and the values an attack forges (the victim's issuer, a wrong one, the org).
 */
import { OktaApp } from '../../emulator/okta/org';
import type { EmulatedTenant } from '../../emulator';
import { connectOktaTenant } from '../support/okta';
import { connectTenant, type SignInTenant } from '../support/sso';
import type { Stack } from '../support/stack';

export const VICTIM = 'victim@contoso.example';
export type Kind = 'entra' | 'okta';

export interface KindFixture {
  kind: Kind;
  tenant: SignInTenant;
  gated: SignInTenant;
  attacker: Pick<EmulatedTenant, 'issueSamlResponse'>;
  /** The Issuer the victim's connection expects, and one of the same shape that is not it. */
  issuer: string;
  wrongIssuer: string;
  /** The org attribute's required value (Entra: the tenant ID). */
  org: string;
}

type People = Pick<EmulatedTenant, 'addUser'>;
function seed(tenant: People, gated: People, attacker: People, groups: { victim: string; gus: string }) {
  tenant.addUser({ email: VICTIM, groups: [groups.victim] });
  tenant.addUser({ email: 'mallory@contoso.example.evil.example' });
  tenant.addUser({ email: 'eve@outside.example' });
  gated.addUser({ email: 'gus@gated.example', groups: [groups.gus] });
  attacker.addUser({ email: VICTIM });
}

export async function entraKind(stack: Stack): Promise<KindFixture> {
  const tenant = await connectTenant(stack, { domains: ['contoso.example'] });
  const gated = await connectTenant(stack, {
    name: 'Gated',
    domains: ['gated.example'],
    allowedGroups: ['22222222-2222-2222-2222-222222222222'],
  });
  const attacker = stack.entra.emulator.createTenant({ name: 'Attacker' });
  seed(tenant.emulated, gated.emulated, attacker, {
    victim: '11111111-1111-1111-1111-111111111111',
    gus: '33333333-3333-3333-3333-333333333333',
  });
  return {
    kind: 'entra',
    tenant,
    gated,
    attacker,
    issuer: `https://sts.windows.net/${tenant.tenantId}/`,
    wrongIssuer: 'https://sts.windows.net/00000000-0000-0000-0000-000000000bad/',
    org: tenant.tenantId,
  };
}

/** Okta's connection here also requires an `organization` attribute, so the org row applies too. */
export async function oktaKind(): Promise<KindFixture> {
  const orgAttribute = { name: 'organization', value: 'contoso' };
  const tenant = await connectOktaTenant({ name: 'Contoso', domains: ['contoso.example'], orgAttribute });
  const gated = await connectOktaTenant({ name: 'Gated', domains: ['gated.example'], allowedGroups: ['Engineering'] });
  const attacker = new OktaApp(() => 'https://attacker.okta.example', { orgAttribute });
  seed(tenant.emulated, gated.emulated, attacker, { victim: '11111111-1111-1111-1111-111111111111', gus: 'Sales' });
  return {
    kind: 'okta',
    tenant,
    gated,
    attacker,
    issuer: tenant.emulated.issuer,
    wrongIssuer: 'http://www.okta.com/exk0000000000000bad',
    org: orgAttribute.value,
  };
}
