import type { Config } from '../../lib/config';
import { conflict } from '../../lib/errors';
import { newConsentNonce, signConsentState } from '../../lib/onboarding/consent-state';
import { TenantModel } from '../../lib/models';

export const CONSENT_CALLBACK_PATH = '/onboarding/consent/callback';

export function adminConsentUrl(config: Config, tenantId: string, state: string): string {
  const url = new URL(`${config.ENTRA_LOGIN_BASE_URL}/${tenantId}/adminconsent`);
  url.searchParams.set('client_id', config.ENTRA_CLIENT_ID);
  url.searchParams.set('redirect_uri', `${config.PUBLIC_BASE_URL}${CONSENT_CALLBACK_PATH}`);
  url.searchParams.set('state', state);
  return url.toString();
}

/**
 * Puts the link for this consent round on the Tenant (once: a retried activity reuses the
 * nonce, so a link already emailed keeps working) and returns the URL. `key` identifies the
 * round across onboardings: `<onboarding run ID>:<round>`.
 */
export async function issueConsentLink(
  config: Config,
  input: { tenantId: string; key: string; round: number; expiresAt: string },
): Promise<string> {
  await TenantModel.updateOne(
    { tenantId: input.tenantId, 'consentRequest.key': { $ne: input.key } },
    {
      $set: {
        consentRequest: {
          key: input.key,
          round: input.round,
          nonce: newConsentNonce(),
          issuedAt: new Date(),
          expiresAt: new Date(input.expiresAt),
        },
      },
    },
  );
  return currentConsentLink(config, input.tenantId, input.key);
}

/** The link of the round `key`, which must be the one outstanding. */
export async function currentConsentLink(config: Config, tenantId: string, key: string): Promise<string> {
  const tenant = await TenantModel.findOne({ tenantId }, { consentRequest: 1 }).lean();
  const request = tenant?.consentRequest;
  if (!request?.nonce || request.key !== key) {
    throw conflict(`no outstanding consent link ${key} for tenant ${tenantId}`);
  }
  return adminConsentUrl(config, tenantId, signConsentState(config.SESSION_SECRET, tenantId, request.nonce));
}
