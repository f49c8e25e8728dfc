/**
 * Okta-kind tenancies for tests: an emulated Okta app plus a tenancy whose connection was
 * saved from the Okta preset (what onboarding by metadata exchange leaves behind).
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { OktaApp, type OktaAppInit } from '../../emulator/okta/org';
import { oktaSettings } from '../../lib/idp/presets';
import { validateConnectionSettings } from '../../lib/idp/settings';
import { saveConnection } from '../../lib/idp/store';
import type { OnboardingStage } from '../../lib/contracts/shared';
import { TenantModel } from '../../lib/models';
import { claimDomain } from '../../lib/sso/domains';

export interface OktaTenant {
  emulated: OktaApp;
  tenantId: string;
}

export interface OktaTenantOptions extends OktaAppInit {
  domains: string[];
  stage?: OnboardingStage;
  allowedGroups?: string[];
}

export async function connectOktaTenant(opts: OktaTenantOptions): Promise<OktaTenant> {
  const emulated = new OktaApp(() => 'https://acme.okta.example', opts);
  // Not an Entra tenancy: its organisation ID is ours, a fresh GUID.
  const tenantId = randomUUID();
  await TenantModel.create({ tenantId, name: emulated.name, stage: opts.stage ?? 'live', allowedGroups: opts.allowedGroups ?? [] });
  const settings = oktaSettings({
    idpEntityId: emulated.issuer,
    ssoUrl: emulated.ssoUrl(),
    certificates: emulated.signingCertificates().map((c) => c.certPem),
    nameId: emulated.nameId,
    ...(opts.orgAttribute ? { org: { attribute: opts.orgAttribute.name, value: opts.orgAttribute.value } } : {}),
  });
  await saveConnection(tenantId, validateConnectionSettings(settings, { production: true }));
  for (const domain of opts.domains) expect(await claimDomain(tenantId, domain)).toEqual({ ok: true });
  return { emulated, tenantId };
}
