/**
 * Update validators: each runs before a staff action is accepted and throws a typed
 * ApplicationFailure (InvalidInput for bad input, Conflict for the wrong moment), so a refused
 * action never reaches history and changes nothing.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { FailureType } from '../../lib/errors';
import type { OnboardingStage, TestItem } from '../shared';
import { isTestItem, missingMandatory } from './checklist';
import type { OnboardingState, StaffAction } from './state';
import { appIdProblem, domainProblem, emailProblem, MAX_METADATA_BYTES, normalizeDomain } from './validation';

const refuse = (type: FailureType, message: string, details?: Record<string, unknown>) =>
  ApplicationFailure.create({ type, message, nonRetryable: true, details: details ? [details] : undefined });

const MIN_REASON = 10;
const MAX_DOMAINS = 50;
/** Domains and test ticks belong to the test period, which lasts until go-live. */
const TEST_PERIOD: OnboardingStage[] = ['testing', 'awaiting-go-live'];

function staff({ staffEmail }: StaffAction): void {
  const problem = emailProblem(staffEmail);
  if (problem) throw refuse(FailureType.InvalidInput, `staff email: ${problem}`);
}

function inStage(state: OnboardingState, allowed: OnboardingStage[], action: string): void {
  if (!allowed.includes(state.stage)) {
    throw refuse(FailureType.Conflict, `${action} is possible only in ${allowed.join(' or ')}; the onboarding is in "${state.stage}"`);
  }
}

/** After approval the domains are what goes live: no more changes. */
function notApproved(state: OnboardingState): void {
  if (state.goLive) throw refuse(FailureType.Conflict, `go-live was already approved by ${state.goLive.approvedBy}`);
}

function reason(value: unknown, what: string): void {
  if (typeof value !== 'string' || value.trim().length < MIN_REASON) {
    throw refuse(FailureType.InvalidInput, `${what}: write a reason of at least ${MIN_REASON} characters`);
  }
}

export function validateReissue(state: OnboardingState, args: StaffAction): void {
  staff(args);
  inStage(state, ['awaiting-consent', 'consent-expired'], 'Re-issuing the consent link');
}

export function validateMetadataUpload(state: OnboardingState, args: StaffAction & { xml: string }): void {
  staff(args);
  inStage(state, ['configuring', ...TEST_PERIOD], 'Importing metadata');
  if (typeof args.xml !== 'string' || !args.xml.trim()) throw refuse(FailureType.InvalidInput, 'the metadata XML is empty');
  if (args.xml.length > MAX_METADATA_BYTES) throw refuse(FailureType.InvalidInput, `the metadata XML is larger than ${MAX_METADATA_BYTES} bytes`);
}

export function validateMetadataFetch(state: OnboardingState, args: StaffAction & { appId?: string }): void {
  staff(args);
  inStage(state, ['configuring', ...TEST_PERIOD], 'Importing metadata');
  const problem = appIdProblem(args.appId);
  if (problem) throw refuse(FailureType.InvalidInput, problem);
}

export function validateTick(state: OnboardingState, args: StaffAction & { item: TestItem; reason: string }): void {
  staff(args);
  inStage(state, TEST_PERIOD, 'Ticking a test item');
  if (!isTestItem(args.item)) throw refuse(FailureType.InvalidInput, `unknown test item "${String(args.item)}"`);
  reason(args.reason, 'Ticking a test item by hand');
}

export function validateNominate(state: OnboardingState, args: StaffAction & { domain: string }): void {
  staff(args);
  inStage(state, TEST_PERIOD, 'Nominating an SSO domain');
  notApproved(state);
  const problem = domainProblem(args.domain);
  if (problem) throw refuse(FailureType.InvalidInput, problem);
  if (state.domains.includes(normalizeDomain(args.domain))) throw refuse(FailureType.Conflict, `${normalizeDomain(args.domain)} is already nominated`);
  if (state.domains.length >= MAX_DOMAINS) throw refuse(FailureType.InvalidInput, `at most ${MAX_DOMAINS} SSO domains per tenant`);
}

export function validateRemove(state: OnboardingState, args: StaffAction & { domain: string }): void {
  staff(args);
  inStage(state, TEST_PERIOD, 'Removing an SSO domain');
  notApproved(state);
  if (typeof args.domain !== 'string' || !state.domains.includes(normalizeDomain(args.domain))) {
    throw refuse(FailureType.InvalidInput, `"${String(args.domain)}" is not a nominated domain of this tenant`);
  }
}

export function validateGoLive(state: OnboardingState, args: StaffAction & { overrideReason?: string }): void {
  staff(args);
  inStage(state, TEST_PERIOD, 'Going live');
  notApproved(state);
  if (state.domains.length === 0) throw refuse(FailureType.Conflict, 'nominate at least one SSO domain before going live');
  const missing = missingMandatory(state.checklist);
  if (args.overrideReason !== undefined && args.overrideReason !== '') reason(args.overrideReason, 'Overriding missing test evidence');
  else if (missing.length > 0) {
    throw refuse(FailureType.Conflict, `go-live refused: no evidence yet for ${missing.join(', ')}. Tick them (evidence or staff reason) or give an override reason.`, { missing });
  }
}

export function validateCancel(state: OnboardingState, args: StaffAction & { reason: string }): void {
  staff(args);
  if (state.cancelled || state.stage === 'cancelled') throw refuse(FailureType.Conflict, 'the onboarding is already cancelled');
  if (state.goLive) throw refuse(FailureType.Conflict, 'go-live was approved; the tenant can no longer be cancelled here');
  reason(args.reason, 'Cancelling');
}
