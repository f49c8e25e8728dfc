/**
 * The connection's notices. Each email is idempotent by a key that names what it is about
 * (a certificate and threshold, an alert and its cause), not the run: a retry, a replay or a
 * continued run never mails the same warning twice.
 */
import { audit, type AuditInput } from '../../lib/audit';
import { TenantModel } from '../../lib/models';
import { connectionWorkflowId } from '../../lib/contracts/connection';
import type { ActivityDeps } from '../deps';
import { certificateExpiryEmail, connectionAlertEmail } from './templates';

export function createConnectionNoticeActivities({ config, mailer }: ActivityDeps) {
  const tenantOf = async (tenantId: string) =>
    (await TenantModel.findOne({ tenantId }, { name: 1, adminEmails: 1 }).lean()) ?? { name: tenantId, adminEmails: [] as string[] };

  return {
    async sendCertificateExpiryWarning(input: {
      tenantId: string;
      thumbprint: string;
      notAfter: string;
      days: number;
    }): Promise<{ sent: boolean }> {
      const tenant = await tenantOf(input.tenantId);
      const body = certificateExpiryEmail({ ...input, orgName: tenant.name });
      const to = [config.STAFF_EMAIL, ...tenant.adminEmails];
      const key = `${connectionWorkflowId(input.tenantId)}:cert-expiry:${input.thumbprint}:${input.days}`;
      return mailer.send({ key, to, template: 'connection-certificate-expiry', ...body });
    },

    /** `key` names the cause (e.g. the burst's audit event), so one cause alerts once. */
    async sendConnectionAlert(input: { tenantId: string; key: string; headline: string; details: string }): Promise<{ sent: boolean }> {
      const tenant = await tenantOf(input.tenantId);
      const consoleUrl = `${config.PUBLIC_BASE_URL}/staff/tenants/${input.tenantId}`;
      const body = connectionAlertEmail({ ...input, orgName: tenant.name, consoleUrl });
      return mailer.send({
        key: `${connectionWorkflowId(input.tenantId)}:alert:${input.key}`,
        to: [config.STAFF_EMAIL],
        template: 'connection-alert',
        ...body,
      });
    },

    async auditConnection(input: Omit<AuditInput, 'target'> & { tenantId: string }): Promise<string> {
      return audit({ ...input, target: { type: 'tenant', id: input.tenantId } });
    },
  };
}
