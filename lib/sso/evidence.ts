import type { Client } from '@temporalio/client';
import { AuditEventModel } from '../models';
import { reportTestEvidence } from '../onboarding/evidence';
import type { SamlRejection } from '../saml/rejection';
import { TEST_PERIOD, type OnboardingStage, type TestItem } from '../contracts/shared';

export interface SsoEvidence {
  tenantId: string;
  stage: OnboardingStage;
  /** The Tenant's `configVersion` when the event happened (see `knownFull`). */
  configVersion: number;
  item: TestItem;
  userId?: string;
  email?: string;
  auditEventIds: string[];
  summary: string;
}

/**
 * The checklist item a refusal proves, if any: the group gate or the MFA policy held, or an assertion that had
 * signed someone in was refused when posted again. Nothing else proves replay protection: a
 * second answer to a used request (`in-response-to-reused`) may be a legitimate first POST,
 * and an assertion whose first post was refused was never worth replaying.
 */
export async function evidenceItemFor(tenantId: string, rejection: SamlRejection): Promise<TestItem | undefined> {
  if (rejection.reason === 'group-not-allowed') return 'group-gate';
  if (rejection.reason === 'mfa-required') return 'mfa-refusal';
  if (rejection.reason !== 'assertion-replayed' || typeof rejection.received !== 'string') return undefined;
  const signedIn = await AuditEventModel.exists({ action: 'sso.signed-in', tenantId, 'details.assertionId': rejection.received });
  return signedIn ? 'replay-rejected' : undefined;
}

/**
 * Tells the tenant's onboarding workflow that a checklist event really happened. Only in the
 * test period (as the Tenant record says; the workflow decides whether it still counts), and
 * only while the item has free evidence slots. Best effort: a sign-in never fails because the
 * checklist could not be told (the audit event stays the record).
 */
export async function reportSsoEvidence(client: Client, e: SsoEvidence): Promise<void> {
  if (!TEST_PERIOD.includes(e.stage)) return;
  const known = `${e.tenantId}:${e.configVersion}:${e.item}`;
  if (knownFull.has(known)) return;
  try {
    const outcome = await reportTestEvidence(client, e.tenantId, {
      item: e.item,
      ...(e.userId ? { userId: e.userId } : {}),
      ...(e.email ? { email: e.email } : {}),
      at: new Date().toISOString(),
      auditEventIds: e.auditEventIds,
      summary: e.summary,
    });
    if (outcome === 'already-enough') remember(known);
  } catch (err) {
    console.error(`sso: could not report ${e.item} evidence for tenant ${e.tenantId}`, err);
  }
}

/**
 * Items whose evidence slots were all taken, per tenant and config version, so the steady
 * state of a busy test period costs no database read. Slots are freed only by a new
 * onboarding, whose stage changes bump the version: an entry never outlives its truth.
 */
const knownFull = new Set<string>();
function remember(key: string): void {
  if (knownFull.size >= 10_000) knownFull.clear();
  knownFull.add(key);
}
