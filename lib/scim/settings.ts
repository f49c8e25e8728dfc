/**
 * A tenancy's provisioning settings with the config defaults filled in: quarantine window,
 * safety valve threshold, legal hold, and whether its purges are paused.
 */
import type { Config } from '../config';
import { ProvisioningSettingsModel } from '../models';

type Note = { reason: string; by: string; at: Date };

export interface EffectiveSettings {
  tenantId: string;
  quarantineMs: number;
  valvePercent: number;
  legalHold?: Note;
  purgesPaused?: Note & { deprovisioned?: number; users?: number };
  /** How many times purges were resumed: each pause is a new generation (one alert each). */
  generation: number;
}

type SettingsConfig = Pick<Config, 'SCIM_QUARANTINE' | 'SCIM_VALVE_PERCENT'>;

const present = (n?: { reason?: string | null; by?: string | null; at?: Date | null } | null): Note | undefined =>
  n?.at ? { reason: n.reason ?? '', by: n.by ?? '', at: n.at } : undefined;

export async function provisioningSettings(config: SettingsConfig, tenantId: string): Promise<EffectiveSettings> {
  const s = await ProvisioningSettingsModel.findById(tenantId).lean();
  const paused = present(s?.purgesPaused);
  return {
    tenantId,
    quarantineMs: s?.quarantineMs ?? config.SCIM_QUARANTINE,
    valvePercent: s?.valvePercent ?? config.SCIM_VALVE_PERCENT,
    ...(present(s?.legalHold) ? { legalHold: present(s?.legalHold) } : {}),
    ...(paused
      ? {
          purgesPaused: {
            ...paused,
            deprovisioned: s?.purgesPaused?.deprovisioned ?? undefined,
            users: s?.purgesPaused?.users ?? undefined,
          },
        }
      : {}),
    generation: s?.generation ?? 0,
  };
}
