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

interface ValveReading {
  deprovisioned: number;
  users: number;
  percent: number;
}

/**
 * The tenancy's size, as counted at most USERS_FOR_MS ago in this process. Counting reads every
 * SCIM record of the tenancy (FerretDB counts by reading the documents: ~0.5 s at 10,000), which
 * on every DELETE of a mass deprovisioning would make each one wait seconds. Within a minute the
 * size changes by creates (a stale count is low: the valve trips early) and by purges, which
 * come days after their deletion: deletions keep their records, so a burst does not move it.
 */
const USERS_FOR_MS = 60_000;
const sizes = new Map<string, { users: Promise<number>; at: number }>();

/** One count in flight per tenancy: the DELETEs that arrive while it runs wait for it, not count again. */
function tenancySize(tenantId: string, now: number): Promise<number> {
  const known = sizes.get(tenantId);
  if (known && now - known.at < USERS_FOR_MS) return known.users;
  const entry = { users: ScimUserModel.countDocuments({ tenantId, purgedAt: null }).exec(), at: now };
  if (sizes.size >= 1_000) sizes.clear();
  sizes.set(tenantId, entry);
  entry.users.catch(() => sizes.get(tenantId) === entry && sizes.delete(tenantId)); // a failed count is not kept
  return entry.users;
}

/** Counts a deprovisioning; true when the tenancy's purges are paused (tripped now or before). */
export async function countDeprovisioning(
  deps: { config: ValveConfig; mailer: Mailer },
  tenantId: string,
  scimId: string,
  at: Date,
): Promise<boolean> {
  await DeprovisionEventModel.create({ _id: `${scimId}:${at.getTime()}`, tenantId, at }).catch((err) => {
    if (err?.code !== 11000) throw err; // a replayed DELETE counts once
  });
  const settings = await provisioningSettings(deps.config, tenantId);
  // Paused already: nothing to count (the rest of a mass deletion costs no reads of the hour's events).
  if (settings.purgesPaused) return true;
  const deprovisioned = await DeprovisionEventModel.countDocuments({ tenantId, at: { $gt: new Date(at.getTime() - HOUR) } });
  // Below the minimum nothing trips, and the tenancy's size is not needed (a single leaver costs no count).
  if (deprovisioned < deps.config.SCIM_VALVE_MIN) return false;
  const users = await tenancySize(tenantId, Date.now());
  if (deprovisioned * 100 <= settings.valvePercent * users) return false;
  // One trip (and one alert) per pause, however many deletions race across the line.
  if (await claimOnce(`scim-valve:${tenantId}:${settings.generation}`))
    await trip(deps, tenantId, { deprovisioned, users, percent: settings.valvePercent }, settings.generation);
  return true;
}

async function trip(deps: { config: ValveConfig; mailer: Mailer }, tenantId: string, r: ValveReading, generation: number): Promise<void> {
  const reason = `${r.deprovisioned} of ${r.users} users deprovisioned within an hour (over ${r.percent} %)`;
  await ProvisioningSettingsModel.updateOne(
    { _id: tenantId },
    { $set: { purgesPaused: { reason, by: 'safety-valve', at: new Date(), deprovisioned: r.deprovisioned, users: r.users } } },
    { upsert: true },
  );
  const auditEventId = await audit({
    action: 'scim.safety-valve.tripped',
    outcome: 'success',
    actor: { kind: 'system' },
    target: { type: 'tenant', id: tenantId },
    tenantId,
    details: { ...r, reason },
  });
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
