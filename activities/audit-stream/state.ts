import { audit } from '../../lib/audit';
import { brandedEmail } from '../../lib/email-layout';
import { recordStreamState } from '../../lib/audit-stream/progress';
import type { StreamState } from '../../lib/contracts/audit-stream';
import type { ActivityDeps } from '../deps';

/**
 * The stream's state for the console, and the notice staff get when a stream pauses (once per
 * pause: the email is keyed by the pause's start).
 */
export function createStreamStateActivities({ config, mailer }: ActivityDeps) {
  return {
    async recordAuditStreamState(input: { tenantId: string; state: StreamState; reason?: string }): Promise<void> {
      await recordStreamState(input.tenantId, input.state, input.reason);
    },

    async notifyAuditStreamPaused(input: { tenantId: string; reason: string; since: string; workflowId: string }): Promise<void> {
      const consoleUrl = `${config.PUBLIC_BASE_URL}/staff/audit-streams/${input.tenantId}`;
      await mailer.send({
        key: `audit-stream-paused:${input.workflowId}:${input.since}`,
        to: [config.STAFF_EMAIL],
        template: 'audit-stream-paused',
        ...brandedEmail({
          subject: `Audit stream paused for tenant ${input.tenantId}`,
          heading: 'An audit stream is paused',
          paragraphs: [
            `The audit stream of tenant ${input.tenantId} to its Log Analytics workspace stopped at ${input.since}, because ${input.reason}.`,
            'Events are kept and nothing is lost: the stream resumes from where it stopped once the configuration is fixed and saved (or after "Send test event" works and you save).',
          ],
          action: { label: 'Open the stream in the staff console', url: consoleUrl },
        }),
      });
      await audit({
        action: 'audit-stream.paused',
        outcome: 'failure',
        actor: { kind: 'system' },
        target: { type: 'audit-stream', id: input.tenantId },
        tenantId: input.tenantId,
        details: { reason: input.reason, since: input.since },
      });
    },
  };
}
