/**
 * Onboarding emails. Each send is idempotent by key `<workflowId>/<onboardingRunId>:<step>:<n>`:
 * a retried activity, or a replay after a worker was killed, does not mail the same thing
 * twice. The onboarding run ID is the workflow's first run ID, the same across continue-as-new
 * and distinct for a restarted onboarding (so its round 1 is not a cancelled one's).
 */
import { Context } from '@temporalio/activity';
import { acsUrl, spEntityId, spMetadataUrl } from '../../lib/saml/sp-urls';
import type { ActivityDeps } from '../deps';
import { sendPortalInvites } from '../../lib/portal/invitations';
import { currentConsentLink, issueConsentLink } from './consent-link';
import { consentExpiredEmail, consentReminderEmail, consentRequestEmail, goLiveEmail, metadataExchangeEmail } from './templates';

/** Which onboarding an email belongs to: `workflowInfo().firstExecutionRunId`. */
interface OnboardingRun {
  onboardingRunId: string;
}

interface ConsentRound extends OnboardingRun {
  tenantId: string;
  orgName: string;
  adminEmails: string[];
  round: number;
  expiresAt: string;
}

function run({ onboardingRunId }: OnboardingRun) {
  // Onboarding activities only run inside the onboarding workflow.
  const { workflowId } = Context.current().info.workflowExecution!;
  return { key: (step: string) => `${workflowId}/${onboardingRunId}:${step}`, roundKey: (round: number) => `${onboardingRunId}:${round}` };
}

export function createOnboardingEmailActivities({ config, mailer }: ActivityDeps) {
  const spFacts = (tenantId: string) => ({
    entityId: spEntityId(config, tenantId),
    acsUrl: acsUrl(config, tenantId),
    metadataUrl: spMetadataUrl(config, tenantId),
  });
  return {
    async sendConsentRequest(input: ConsentRound): Promise<{ sent: boolean }> {
      const { key, roundKey } = run(input);
      const consentUrl = await issueConsentLink(config, { ...input, key: roundKey(input.round) });
      const body = consentRequestEmail({ ...input, consentUrl, sp: spFacts(input.tenantId) });
      const result = await mailer.send({
        key: key(`consent-request:${input.round}`),
        to: input.adminEmails,
        template: 'onboarding-consent-request',
        ...body,
      });
      // Each admin contact's personal portal link goes with it (once per onboarding: keyed by invitation).
      await sendPortalInvites(config, mailer, input);
      return result;
    },

    /** The metadata exchange's opening email (Okta, any SAML IdP), with the portal invitations. */
    async sendMetadataExchangeRequest(
      input: OnboardingRun & { tenantId: string; orgName: string; adminEmails: string[]; kind: 'okta' | 'saml' },
    ): Promise<{ sent: boolean }> {
      const body = metadataExchangeEmail({ ...input, sp: spFacts(input.tenantId) });
      const result = await mailer.send({
        key: run(input).key('metadata-exchange'),
        to: input.adminEmails,
        template: 'onboarding-metadata-exchange',
        ...body,
      });
      await sendPortalInvites(config, mailer, input);
      return result;
    },

    async sendConsentReminder(input: ConsentRound & { reminder: number }): Promise<{ sent: boolean }> {
      const { key, roundKey } = run(input);
      const consentUrl = await currentConsentLink(config, input.tenantId, roundKey(input.round));
      const body = consentReminderEmail({ ...input, consentUrl });
      return mailer.send({
        key: key(`consent-reminder:${input.round}.${input.reminder}`),
        to: input.adminEmails,
        template: 'onboarding-consent-reminder',
        ...body,
      });
    },

    async sendConsentExpiredNotice(
      input: OnboardingRun & { tenantId: string; orgName: string; round: number; expiredAt: string },
    ): Promise<{ sent: boolean }> {
      const consoleUrl = `${config.PUBLIC_BASE_URL}/staff/tenants/${input.tenantId}`;
      const body = consentExpiredEmail({ ...input, consoleUrl });
      return mailer.send({
        key: run(input).key(`consent-expired:${input.round}`),
        to: [config.STAFF_EMAIL],
        template: 'onboarding-consent-expired',
        ...body,
      });
    },

    async sendGoLiveConfirmation(
      input: OnboardingRun & { tenantId: string; orgName: string; adminEmails: string[]; domains: string[] },
    ): Promise<{ sent: boolean }> {
      const body = goLiveEmail({ ...input, signInUrl: `${config.PUBLIC_BASE_URL}/signin` });
      return mailer.send({ key: run(input).key('go-live'), to: input.adminEmails, template: 'onboarding-go-live', ...body });
    },
  };
}
