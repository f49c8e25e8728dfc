/**
 * Input rules for onboarding, pure so that the web tier (form/API validation) and the
 * workflow (update validators) refuse the same things with the same words. Each check
 * returns an error message, or undefined when the value is acceptable; the update validators
 * below run before a staff action is accepted and throw a refusal's ApplicationFailure
 * (InvalidInput for bad input, Conflict for the wrong moment), so a refused action never
 * reaches history and changes nothing.
 */
import { FailureType } from './failures';
import { refuse } from './refusal';
import { TEST_PERIOD, type OnboardingStage, type TestItem } from './shared';
import { isTestItem, missingMandatory } from './onboarding-checklist';
import type { OnboardingState, StaffAction } from './onboarding-state';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Entra's multi-tenant aliases and the consumer (personal Microsoft account) tenant. */
const NOT_AN_ORGANISATION: Record<string, string> = {
  common: '"common" is a sign-in alias, not a tenant',
  organizations: '"organizations" is a sign-in alias, not a tenant',
  consumers: '"consumers" is the personal Microsoft account alias, not an organisation',
  '9188040d-6c67-4c5b-b112-36a304b66dad': 'this is the consumer (personal Microsoft account) tenant, not an organisation',
  '00000000-0000-0000-0000-000000000000': 'the nil GUID is not a tenant',
};

export function tenantIdProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return 'Entra tenant ID is required';
  const id = value.trim().toLowerCase();
  if (NOT_AN_ORGANISATION[id]) return `Entra tenant ID "${value}" refused: ${NOT_AN_ORGANISATION[id]}`;
  if (!GUID.test(id)) return `Entra tenant ID must be a GUID such as 6e89e984-81f7-4e1d-b40b-d638ccf7c2b0, got "${value}"`;
  return undefined;
}

export function orgNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return 'Organisation name is required';
  if (value.trim().length > 200) return 'Organisation name must be at most 200 characters';
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f<>]/.test(value)) return 'Organisation name must not contain control characters or < >';
  return undefined;
}

// Deliberately simple: one @, no spaces, a dotted domain. The SMTP server is the real test.
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+$/;
export function emailProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !EMAIL.test(value.trim()) || value.length > 254) return `"${String(value)}" is not an email address`;
  return hostnameProblem(value.trim().split('@')[1]);
}

/** Consumer mailbox providers: nobody's organisation owns these, so no tenant may claim them. */
export const PUBLIC_MAIL_DOMAINS: readonly string[] = [
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'hotmail.co.uk',
  'live.com',
  'msn.com',
  'yahoo.com',
  'yahoo.co.uk',
  'ymail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'gmx.com',
  'gmx.net',
  'gmx.de',
  'web.de',
  'mail.com',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'zoho.com',
  'fastmail.com',
  'tutanota.com',
  'qq.com',
  '163.com',
  'onmicrosoft.com',
];

export const normalizeDomain = (value: string) => value.trim().toLowerCase().replace(/\.$/, '');

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
function hostnameProblem(domain: string): string | undefined {
  const labels = domain.split('.');
  if (
    domain.length > 253 ||
    labels.length < 2 ||
    !labels.every((l) => LABEL.test(l)) ||
    !/^(xn--[a-z0-9-]+|[a-z]{2,63})$/.test(labels.at(-1)!)
  ) {
    return `"${domain}" is not a valid domain name (use the punycode form for international names)`;
  }
  return undefined;
}

export function domainProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return 'Domain is required';
  const domain = normalizeDomain(value);
  const syntax = hostnameProblem(domain);
  if (syntax) return syntax;
  const publicParent = PUBLIC_MAIL_DOMAINS.find((p) => domain === p || domain.endsWith(`.${p}`));
  if (publicParent === 'onmicrosoft.com' && domain !== publicParent) return undefined; // contoso.onmicrosoft.com belongs to its tenant
  if (publicParent)
    return `"${domain}" is a public mail domain (${publicParent}); only a domain the organisation owns can be an SSO domain`;
  return undefined;
}

/** Federation metadata larger than this is refused (the real document is ~28 KB). */
export const MAX_METADATA_BYTES = 512 * 1024;

const APP_ID = GUID;
export function appIdProblem(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !APP_ID.test(value.trim().toLowerCase())) return `App ID must be a GUID, got "${String(value)}"`;
  return undefined;
}

export const problems = (checks: Array<string | undefined>) => checks.filter((p): p is string => Boolean(p));

// ---- Update validators ---------------------------------------------------------------

const MIN_REASON = 10;
const MAX_DOMAINS = 50;
/** Domains and test ticks belong to the test period, which lasts until go-live. */

function staff({ staffEmail }: StaffAction): void {
  const problem = emailProblem(staffEmail);
  if (problem) throw refuse(FailureType.InvalidInput, `staff email: ${problem}`);
}

function inStage(state: OnboardingState, allowed: readonly OnboardingStage[], action: string): void {
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
  if (args.xml.length > MAX_METADATA_BYTES)
    throw refuse(FailureType.InvalidInput, `the metadata XML is larger than ${MAX_METADATA_BYTES} bytes`);
}

export function validateIdpMetadataUrl(state: OnboardingState, args: StaffAction & { url: string }): void {
  staff(args);
  if (!state.input.connection) throw refuse(FailureType.InvalidInput, 'an Entra tenancy fetches its metadata from Entra (fetchMetadata)');
  inStage(state, ['configuring', ...TEST_PERIOD], 'Importing metadata');
  if (typeof args.url !== 'string' || !/^https?:\/\/\S+$/.test(args.url.trim()))
    throw refuse(FailureType.InvalidInput, `the metadata URL must be an absolute https URL, got "${String(args.url)}"`);
}

export function validateMetadataFetch(state: OnboardingState, args: StaffAction & { appId?: string }): void {
  staff(args);
  if (state.input.connection)
    throw refuse(FailureType.InvalidInput, `a ${state.input.connection.kind} connection's metadata comes from its URL or an upload`);
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
  if (state.domains.includes(normalizeDomain(args.domain)))
    throw refuse(FailureType.Conflict, `${normalizeDomain(args.domain)} is already nominated`);
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
    throw refuse(
      FailureType.Conflict,
      `go-live refused: no evidence yet for ${missing.join(', ')}. Tick them (evidence or staff reason) or give an override reason.`,
      { missing },
    );
  }
}

export function validateCancel(state: OnboardingState, args: StaffAction & { reason: string }): void {
  staff(args);
  if (state.cancelled || state.stage === 'cancelled') throw refuse(FailureType.Conflict, 'the onboarding is already cancelled');
  if (state.goLive) throw refuse(FailureType.Conflict, 'go-live was approved; the tenant can no longer be cancelled here');
  reason(args.reason, 'Cancelling');
}
