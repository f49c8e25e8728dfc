/**
 * The Tenant document as the onboarding workflow moves it: the SSO sign-in path reads
 * `stage` and `domains` from MongoDB, so every stage change is written here.
 */
import type { ConnectionTemplate } from '../../lib/idp/from-metadata';
import { audit, type AuditInput } from '../../lib/audit';
import { conflict } from '../../lib/errors';
import { TenantModel } from '../../lib/models';
import { forgetTestEvidence } from '../../lib/onboarding/evidence';
import type { OnboardingStage } from '../../lib/contracts/shared';
import type { ActivityDeps } from '../deps';

export function createTenantRecordActivities(_deps: ActivityDeps) {
  return {
    /** Creates or resets the Tenant for a new onboarding (its evidence slots freed); refuses a tenant that is already live. */
    async registerOnboardingTenant(input: {
      tenantId: string;
      orgName: string;
      adminEmails: string[];
      requestedBy: string;
      /** A non-Entra kind is recorded from the start (so it is never taken for Entra before its metadata arrives). */
      connection?: ConnectionTemplate;
    }): Promise<void> {
      const t = input.connection;
      const kind = t
        ? {
            connection: { kind: t.kind, ssoBinding: 'redirect', nameIdFormat: t.nameIdFormat, claims: t.claims },
            'saml.signing': t.signing,
          }
        : {};
      try {
        await TenantModel.updateOne(
          { tenantId: input.tenantId, stage: { $ne: 'live' } },
          {
            $set: { name: input.orgName, adminEmails: input.adminEmails, stage: 'requested', stageChangedAt: new Date(), ...kind },
            $unset: { consentRequest: 1 },
            $setOnInsert: { tenantId: input.tenantId },
          },
          { upsert: true },
        );
      } catch (err) {
        // The upsert collides on the unique tenantId only when a live tenant exists.
        if ((err as { code?: number }).code === 11000) {
          throw conflict(`tenant ${input.tenantId} is already live`);
        }
        throw err;
      }
      await forgetTestEvidence(input.tenantId);
    },

    async recordOnboardingStage(input: {
      tenantId: string;
      stage: OnboardingStage;
      by?: string;
      consentGrantedAt?: string;
    }): Promise<string> {
      const now = new Date();
      await TenantModel.updateOne(
        { tenantId: input.tenantId },
        {
          $set: {
            stage: input.stage,
            stageChangedAt: now,
            ...(input.stage === 'live' ? { liveAt: now } : {}),
            ...(input.consentGrantedAt ? { consentGrantedAt: new Date(input.consentGrantedAt) } : {}),
          },
          $inc: { configVersion: 1 },
        },
      );
      return audit({
        action: 'onboarding.stage',
        outcome: 'success',
        actor: input.by ? { kind: 'staff', email: input.by } : { kind: 'system' },
        target: { type: 'tenant', id: input.tenantId },
        tenantId: input.tenantId,
        details: { stage: input.stage },
      });
    },

    /** Staff decisions made through the workflow (ticks, overrides, re-issues, cancellation). */
    async auditOnboarding(input: Omit<AuditInput, 'target'> & { tenantId: string }): Promise<string> {
      return audit({ ...input, target: { type: 'tenant', id: input.tenantId } });
    },
  };
}
