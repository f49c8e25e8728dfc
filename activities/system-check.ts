import { Context } from '@temporalio/activity';
import { audit } from '../lib/audit';
import { brandedEmail } from '../lib/email-layout';
import type { ActivityDeps } from './deps';

export function createSystemCheckActivities({ mailer }: ActivityDeps) {
  return {
    async recordSystemCheck(input: { checkId: string; notify: string }) {
      const workflowId = Context.current().info.workflowExecution?.workflowId;
      const auditEventId = await audit({
        action: 'system.check',
        outcome: 'success',
        target: { type: 'system-check', id: input.checkId },
        details: { workflowId },
      });
      const body = brandedEmail({
        subject: `Entrada system check ${input.checkId}`,
        heading: 'System check passed',
        paragraphs: [`Temporal ran workflow ${workflowId}, MongoDB stored audit event ${auditEventId}, and this email came over SMTP.`],
      });
      const { sent } = await mailer.send({ key: `system-check:${input.checkId}`, to: [input.notify], template: 'system-check', ...body });
      return { auditEventId, emailed: sent };
    },
  };
}
