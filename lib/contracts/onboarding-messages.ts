/**
 * Everything that can be said to a running onboarding: the consent callback's signal, staff
 * updates (each validated before it is accepted, so a refused action changes nothing) and
 * the state query. Test evidence uses `testEvidenceSignal` from lib/contracts/shared.ts.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { TestItem } from './shared';
import type { OnboardingState, SamlSummary, StaffAction } from './onboarding-state';

export const onboardingStateQuery = defineQuery<OnboardingState>('onboardingState');

/** Sent by the consent callback after it verified and consumed the link's state. */
export interface ConsentGranted {
  round: number;
  grantedAt: string;
  auditEventId: string;
}
export const consentGrantedSignal = defineSignal<[ConsentGranted]>('consentGranted');

/** Sends a fresh consent link (new round); allowed while awaiting consent or after expiry. */
export const reissueConsentUpdate = defineUpdate<{ round: number }, [StaffAction]>('reissueConsent');

/** Imports metadata XML uploaded by staff; a refusal leaves the workflow in `configuring`. */
export const uploadMetadataUpdate = defineUpdate<SamlSummary, [StaffAction & { xml: string }]>('uploadMetadata');
/** Fetches metadata from the configured Entra host (with `?appid=` when given). */
export const fetchMetadataUpdate = defineUpdate<SamlSummary, [StaffAction & { appId?: string }]>('fetchMetadata');

/** A non-Entra connection's metadata exchange: the IdP's metadata from the URL the customer gave. */
export const fetchIdpMetadataUpdate = defineUpdate<SamlSummary, [StaffAction & { url: string }]>('fetchIdpMetadata');

export const tickTestItemUpdate = defineUpdate<OnboardingState['checklist'], [StaffAction & { item: TestItem; reason: string }]>(
  'tickTestItem',
);

export const nominateDomainUpdate = defineUpdate<string[], [StaffAction & { domain: string }]>('nominateDomain');
export const removeDomainUpdate = defineUpdate<string[], [StaffAction & { domain: string }]>('removeDomain');

/** Refused with the list of missing mandatory items unless staff give an override reason. */
export const approveGoLiveUpdate = defineUpdate<OnboardingState, [StaffAction & { overrideReason?: string }]>('approveGoLive');

export const cancelOnboardingUpdate = defineUpdate<OnboardingState, [StaffAction & { reason: string }]>('cancelOnboarding');
