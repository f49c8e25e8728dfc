/**
 * Staff actions on a running onboarding. Each is one Update: the workflow's validator refuses
 * bad input or the wrong moment before anything is recorded, the handler does the work, and
 * the caller gets either the result or the typed refusal (see failures.ts).
 */
import type { UpdateDefinition } from '@temporalio/common';
import { notFound } from '../errors';
import * as m from '../contracts/onboarding-messages';
import { tenantIdProblem } from '../contracts/onboarding-input';
import { onboardingWorkflowId } from '../contracts/shared';
import type { StaffAction } from '../contracts/onboarding-state';
import type { OnboardingDeps } from './deps';
import { onboardingFailure } from './failures';

type Body = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const optional = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

interface ActionSpec {
  update: UpdateDefinition<unknown, [StaffAction]>;
  args: (body: Body) => Record<string, unknown>;
  /** What the staff member is told when it worked (fixed text: pages show it after a redirect). */
  notice: string;
}

export const STAFF_ACTIONS: Record<string, ActionSpec> = {
  'reissue-consent': { update: m.reissueConsentUpdate, args: () => ({}), notice: 'A fresh consent link was emailed to the admins.' },
  'upload-metadata': { update: m.uploadMetadataUpdate, args: (b) => ({ xml: str(b.xml) }), notice: 'Metadata imported.' },
  'fetch-metadata': {
    update: m.fetchMetadataUpdate,
    args: (b) => ({ appId: optional(b.appId) }),
    notice: 'Metadata fetched from Entra and imported.',
  },
  'fetch-idp-metadata': {
    update: m.fetchIdpMetadataUpdate,
    args: (b) => ({ url: str(b.url) }),
    notice: "The IdP's metadata was fetched from its URL and imported.",
  },
  'tick-test-item': {
    update: m.tickTestItemUpdate,
    args: (b) => ({ item: str(b.item), reason: str(b.reason) }),
    notice: 'Test item ticked.',
  },
  'nominate-domain': { update: m.nominateDomainUpdate, args: (b) => ({ domain: str(b.domain) }), notice: 'SSO domain nominated.' },
  'remove-domain': { update: m.removeDomainUpdate, args: (b) => ({ domain: str(b.domain) }), notice: 'SSO domain removed.' },
  'go-live': {
    update: m.approveGoLiveUpdate,
    args: (b) => ({ overrideReason: optional(b.overrideReason) }),
    notice: 'Go-live approved: the tenant is live.',
  },
  cancel: { update: m.cancelOnboardingUpdate, args: (b) => ({ reason: str(b.reason) }), notice: 'The onboarding was cancelled.' },
};

export async function runStaffAction(
  deps: OnboardingDeps,
  tenantId: string,
  action: string,
  body: Body,
  staffEmail: string,
  /** Set when a tenancy admin acts through the portal (lib/portal/connect.ts). */
  adminUserId?: string,
): Promise<{ message: string; result: unknown }> {
  const spec = Object.hasOwn(STAFF_ACTIONS, action) ? STAFF_ACTIONS[action] : undefined;
  if (!spec) throw notFound(`Unknown action "${action}".`);
  if (tenantIdProblem(tenantId)) throw notFound(`No onboarding for tenant ${tenantId}.`);
  const handle = deps.temporal.workflow.getHandle(onboardingWorkflowId(tenantId));
  try {
    const result = await handle.executeUpdate(spec.update, {
      args: [{ ...spec.args(body ?? {}), staffEmail, ...(adminUserId ? { adminUserId } : {}) }],
    });
    return { message: spec.notice, result };
  } catch (err) {
    throw await onboardingFailure(err, handle, tenantId);
  }
}
