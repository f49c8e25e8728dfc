import { TenantModel } from '../models';
import { entraClaims } from './presets';

/**
 * Data migration: every tenancy stored before connection kinds is an Entra tenancy; write its
 * connection as it has always behaved (redirect binding, no NameID format asked for, Entra's
 * claims with the tenant ID as the required tenantid). Only records without one are touched,
 * each by a conditional update, so running it at every worker start (from several workers at
 * once) is safe. Nothing else changes: same tenant ID, same configVersion, same sign-ins.
 * Returns how many records it filled.
 */
export async function fillMissingConnections(): Promise<number> {
  const missing = await TenantModel.find({ connection: { $exists: false } }, { tenantId: 1 }).lean();
  let filled = 0;
  for (const { tenantId } of missing) {
    const connection = { kind: 'entra', ssoBinding: 'redirect', nameIdFormat: 'unspecified', claims: entraClaims(tenantId) };
    const res = await TenantModel.updateOne({ tenantId, connection: { $exists: false } }, { $set: { connection } });
    filled += res.modifiedCount;
  }
  return filled;
}
