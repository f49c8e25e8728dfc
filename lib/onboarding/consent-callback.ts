/**
 * Where Entra sends the customer's administrator after the admin-consent prompt. Order
 * matters: the state is verified first (ours, current, bound to this tenant's workflow), then
 * `error` is handled before `admin_consent` is even looked at, then the returned tenant must
 * be the link's tenant, and only then is the link used up (atomically, once) and the workflow
 * signalled. Every outcome is audited and explained to the admin.
 */
import { claimOnce, releaseClaim } from '../claims';
import { audit } from '../audit';
import { verifyConsentState } from './consent-state';
import { TenantModel } from '../models';
import { consentGrantedSignal } from '../contracts/onboarding-messages';
import { onboardingWorkflowId } from '../contracts/shared';
import type { RequestContext } from '../accounts/context';
import type { OnboardingDeps } from './deps';

export interface ConsentOutcome {
  status: number;
  kind: 'granted' | 'declined' | 'invalid' | 'wrong-tenant' | 'used' | 'inactive';
  title: string;
  message: string;
}

const first = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);

export async function handleConsentCallback(
  deps: OnboardingDeps,
  query: Record<string, unknown>,
  ctx: RequestContext,
): Promise<ConsentOutcome> {
  const [state, error, description, consentFlag, returnedTenant] = ['state', 'error', 'error_description', 'admin_consent', 'tenant'].map(
    (k) => first(query[k]),
  );
  const verified = verifyConsentState(deps.config.SESSION_SECRET, state);
  const tenant = verified && (await TenantModel.findOne({ tenantId: verified.tenantId }).lean());
  const request = tenant?.consentRequest;
  const record = (outcome: 'success' | 'failure' | 'denied', reason: string, details: Record<string, unknown> = {}) =>
    audit({
      action: 'onboarding.consent.callback',
      outcome,
      actor: { kind: 'anonymous' },
      target: { type: 'tenant', id: verified?.tenantId ?? 'unknown' },
      tenantId: verified?.tenantId,
      ...ctx,
      details: { reason, ...details },
    });

  if (!verified || !tenant || !request?.nonce || request.nonce !== verified.nonce) {
    await record('denied', verified ? 'superseded-or-unknown-state' : 'invalid-state');
    return {
      status: 400,
      kind: 'invalid',
      title: 'This link is not valid',
      message:
        'This consent response does not match a consent link we sent, or a newer link has replaced it. Use the most recent email from Entrada, or ask your Entrada contact for a new link.',
    };
  }
  const tenantId = verified.tenantId;
  if (error) {
    await record('failure', 'entra-error', { error, description: description?.split('\r\n')[0] });
    return {
      status: 200,
      kind: 'declined',
      title: 'Consent was not granted',
      message: `Microsoft Entra reported: ${description?.split('\r\n')[0] || error}. Nothing has changed; you can use the link in the email again whenever you are ready.`,
    };
  }
  if (consentFlag?.toLowerCase() !== 'true') {
    await record('denied', 'no-admin-consent', { admin_consent: consentFlag });
    return {
      status: 400,
      kind: 'invalid',
      title: 'Consent was not confirmed',
      message: 'The response from Microsoft Entra did not confirm admin consent. Please try the link in the email again.',
    };
  }
  if (returnedTenant?.toLowerCase() !== tenantId) {
    await record('denied', 'tenant-mismatch', { expected: tenantId, received: returnedTenant });
    return {
      status: 400,
      kind: 'wrong-tenant',
      title: 'Consent came from another organisation',
      message: `This link is for tenant ${tenantId}, but consent was given in tenant ${returnedTenant ?? '(none)'}. Sign in as an administrator of ${tenant.name} and try the link again.`,
    };
  }
  if (request.usedAt) {
    await record('denied', 'state-reused');
    return {
      status: 409,
      kind: 'used',
      title: 'This link was already used',
      message: `Consent for ${tenant.name} was already recorded with this link. There is nothing more to do.`,
    };
  }
  const claimKey = `consent:${tenantId}:${verified.nonce}`;
  const consumed =
    (await claimOnce(claimKey)) &&
    (await TenantModel.findOneAndUpdate(
      { tenantId, stage: 'awaiting-consent', 'consentRequest.nonce': verified.nonce, 'consentRequest.usedAt': null },
      { $set: { 'consentRequest.usedAt': new Date() } },
    ));
  if (!consumed) {
    await record('denied', 'not-awaiting-consent', { stage: tenant.stage });
    return {
      status: 409,
      kind: 'inactive',
      title: 'This link is no longer active',
      message: `The onboarding of ${tenant.name} is not waiting for consent any more (stage: ${tenant.stage}). Ask your Entrada contact if you need a new link.`,
    };
  }
  const auditEventId = await record('success', 'granted', { round: request.round });
  try {
    await deps.temporal.workflow
      .getHandle(onboardingWorkflowId(tenantId))
      .signal(consentGrantedSignal, { round: request.round ?? 0, grantedAt: new Date().toISOString(), auditEventId });
  } catch (err) {
    // Give the link back: the admin can retry once we can reach the workflow again.
    await TenantModel.updateOne({ tenantId, 'consentRequest.nonce': verified.nonce }, { $unset: { 'consentRequest.usedAt': 1 } });
    await releaseClaim(claimKey);
    throw err;
  }
  return {
    status: 200,
    kind: 'granted',
    title: 'Thank you: consent recorded',
    message: `Admin consent for ${tenant.name} is recorded. Entrada will now configure single sign-on from your tenant's federation metadata; your Entrada contact will be in touch for testing.`,
  };
}
