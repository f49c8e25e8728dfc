/**
 * Changing a live non-Entra connection's settings (an Update on its connection workflow): the
 * new settings are validated whole, saved with the ones they replace kept as `previous`, and
 * audited with both. A rollback saves `previous` again (so the change it undoes becomes the
 * new `previous`). An Entra connection's settings come from Entra's metadata and are not edited.
 */
import { audit } from '../../lib/audit';
import { FailureType } from '../../lib/contracts/failures';
import { Refusal } from '../../lib/contracts/refusal';
import { validateConnectionSettings } from '../../lib/idp/settings';
import { saveConnection, storedSettings } from '../../lib/idp/store';
import { TenantModel } from '../../lib/models';
import { notFound } from '../../lib/errors';
import { trustedView, type StoredCertificate } from '../../lib/connection/certificate-set';
import type { ActivityDeps } from '../deps';

interface Change {
  tenantId: string;
  staffEmail: string;
  reason: string;
}

export function createConnectionSettingsActivities({ config }: ActivityDeps) {
  // Read at call time: the activity list is also built without deps (to learn its names).
  const production = () => config.NODE_ENV === 'production';

  async function apply(change: Change, settingsInput: unknown, action: string) {
    const tenant = await TenantModel.findOne({ tenantId: change.tenantId }, { saml: 1, connection: 1 }).lean();
    if (!tenant) throw notFound(`no tenant ${change.tenantId}`);
    const kind = tenant.connection?.kind ?? 'entra';
    if (kind === 'entra')
      throw new Refusal(FailureType.Conflict, "an Entra connection's settings come from Entra's metadata; they are not edited");
    const settings = validateConnectionSettings(settingsInput, { production: production() });
    if (settings.kind !== kind) throw new Refusal(FailureType.InvalidInput, `kind: the connection is ${kind}, not ${settings.kind}`);
    const before = storedSettings(tenant);
    await saveConnection(change.tenantId, settings, tenant.connection?.metadataUrl ? { metadataUrl: tenant.connection.metadataUrl } : {});
    await audit({
      action,
      outcome: 'success',
      actor: { kind: 'staff', email: change.staffEmail },
      target: { type: 'tenant', id: change.tenantId },
      tenantId: change.tenantId,
      details: {
        reason: change.reason,
        before: { ...before, certificates: before.certificates?.length },
        after: { ...settings, certificates: settings.certificates.length },
      },
    });
    const after = (await TenantModel.findOne({ tenantId: change.tenantId }, { saml: 1 }).lean())!;
    return ((after.saml?.certificates ?? []) as StoredCertificate[]).map(trustedView);
  }

  return {
    updateConnectionSettings: (input: Change & { settings: unknown }) => apply(input, input.settings, 'sso.connection.settings-changed'),
    async rollBackConnectionSettings(input: Change) {
      const tenant = await TenantModel.findOne({ tenantId: input.tenantId }, { connection: 1 }).lean();
      const previous = tenant?.connection?.previous;
      if (!previous) throw new Refusal(FailureType.Conflict, 'there are no previous settings to roll back to');
      return apply(input, previous, 'sso.connection.settings-rolled-back');
    },
  };
}
