/**
 * The safety valve: a provisioning outage or a mis-scoped assignment can make Entra delete a
 * whole tenancy at once. When more than SCIM_VALVE_PERCENT % of a tenancy's users (and at
 * least SCIM_VALVE_MIN) were deprovisioned within an hour, its purges pause and staff are
 * alerted. Suspensions still happen (they are reversible); purges wait for staff to resume.
 * Checked on every SCIM DELETE, so it trips on the request that crosses the line.
 */
import { audit } from '../audit';
import { claimOnce } from '../claims';
import type { Config } from '../config';
import { brandedEmail } from '../email-layout';
import type { Mailer } from '../mailer';
import { DeprovisionEventModel, ProvisioningSettingsModel, ScimUserModel, TenantModel } from '../models';
import { provisioningSettings } from './settings';

const HOUR = 60 * 60 * 1000;
type ValveConfig = Pick<Config, 'SCIM_QUARANTINE' | 'SCIM_VALVE_PERCENT' | 'SCIM_VALVE_MIN' | 'STAFF_EMAIL' | 'PUBLIC_BASE_URL'>;

export interface ValveReading {
  deprovisioned: number;
  users: number;
  percent: number;
  tripped: boolean;
}

export async function countDeprovisioning(deps: { config: ValveConfig; mailer: Mailer }, tenantId: string, scimId: string, at: Date): Promise<ValveReading> {
  await DeprovisionEventModel.create({ _id: `${scimId}:${at.getTime()}`, tenantId, at }).catch((err) => {
    if (err?.code !== 11000) throw err; // a replayed DELETE counts once
  });
  const settings = await provisioningSettings(deps.config, tenantId);
  const [deprovisioned, users] = await Promise.all([
    DeprovisionEventModel.countDocuments({ tenantId, at: { $gt: new Date(at.getTime() - HOUR) } }),
    ScimUserModel.countDocuments({ tenantId, purgedAt: null }),
  ]);
  const reading = { deprovisioned, users, percent: settings.valvePercent, tripped: Boolean(settings.purgesPaused) };
  if (reading.tripped || deprovisioned < deps.config.SCIM_VALVE_MIN || deprovisioned * 100 <= settings.valvePercent * users) return reading;
  // One trip (and one alert) per pause, however many deletions race across the line.
  if (await claimOnce(`scim-valve:${tenantId}:${settings.generation}`)) await trip(deps, tenantId, { ...reading, tripped: true }, settings.generation);
  return { ...reading, tripped: true };
}

async function trip(deps: { config: ValveConfig; mailer: Mailer }, tenantId: string, r: ValveReading, generation: number): Promise<void> {
  const reason = `${r.deprovisioned} of ${r.users} users deprovisioned within an hour (over ${r.percent} %)`;
  await ProvisioningSettingsModel.updateOne(
    { _id: tenantId },
    { $set: { purgesPaused: { reason, by: 'safety-valve', at: new Date(), deprovisioned: r.deprovisioned, users: r.users } } },
    { upsert: true },
  );
  const auditEventId = await audit({ action: 'scim.safety-valve.tripped', outcome: 'success', actor: { kind: 'system' }, target: { type: 'tenant', id: tenantId }, tenantId, details: { ...r, reason } });
  const tenant = await TenantModel.findOne({ tenantId }, { name: 1 }).lean();
  const name = tenant?.name ?? tenantId;
  await deps.mailer.send({
    key: `scim-valve:${tenantId}:${generation}`,
    to: [deps.config.STAFF_EMAIL],
    template: 'scim-safety-valve',
    ...brandedEmail({
      subject: `Provisioning safety valve: purges paused for ${name}`,
      heading: `Purges paused for ${name}`,
      paragraphs: [
        `Entra provisioning deprovisioned ${reason} for the tenancy ${name} (${tenantId}).`,
        'Those accounts are suspended and keep all their data. No account of this tenancy is purged until staff resume purges: check with the customer that the deletions are intended (a scoping mistake or a directory outage looks like this).',
        `Audit reference: ${auditEventId}.`,
      ],
      action: { label: 'Review provisioning', url: `${deps.config.PUBLIC_BASE_URL}/staff/provisioning/${tenantId}` },
    }),
  });
}
