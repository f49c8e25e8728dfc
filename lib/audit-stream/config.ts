import { z } from 'zod';
import { audit, type AuditInput } from '../audit';
import { parse } from '../accounts/validation';
import { badRequest, notFound } from '../errors';
import { AuditStreamModel, AuditStreamProgressModel, AuditStreamQuarantineModel, STREAM_LEVELS, TenantModel } from '../models';
import { configKeyProvider, openSecret, sealSecret } from '../secret-box';
import { syncStreamWorkflow } from './control';
import type { AuditStreamDeps } from './deps';

/**
 * A tenancy's stream configuration, as staff set it (console and JSON API; the customer
 * portal can reuse this): where the rows go, the customer's Entra app and its secret, the
 * level and on/off. The secret is sealed at once and never returned; leaving it out of a save
 * keeps the one set before.
 */
const guid = (what: string) =>
  z
    .string({ error: `${what}: expected a GUID` })
    .trim()
    .toLowerCase()
    .regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      `${what}: expected a GUID like 6f1d2c3b-4a59-4e68-9d7c-0a1b2c3d4e5f`,
    );

/** https, except for this machine (the emulator in development and tests). */
const endpoint = z
  .string({ error: 'endpoint: expected the Logs Ingestion URL' })
  .trim()
  .transform((value, ctx) => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      /* reported below */
    }
    const local = url && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && local)) || url.search || url.hash) {
      ctx.addIssue({
        code: 'custom',
        message: `endpoint: expected an https URL such as https://my-dce.westeurope-1.ingest.monitor.azure.com, got "${value}"`,
      });
      return z.NEVER;
    }
    return url.toString().replace(/\/+$/, '');
  });

export const streamConfigSchema = z.object({
  endpoint,
  dcrImmutableId: z
    .string({ error: 'dcrImmutableId: expected dcr- and 32 hex digits' })
    .trim()
    .regex(/^dcr-[0-9a-f]{32}$/i, 'dcrImmutableId: expected dcr- and 32 hex digits (the DCR\'s "Immutable Id")'),
  streamName: z
    .string({ error: 'streamName: expected Custom-<name>' })
    .trim()
    .regex(/^Custom-[A-Za-z0-9_]{1,200}$/, 'streamName: expected Custom- and letters, digits or _ (e.g. Custom-EntradaAudit_CL)'),
  directoryId: guid('directoryId'),
  clientId: guid('clientId'),
  clientSecret: z
    .string()
    .max(1000, 'clientSecret: at most 1000 characters')
    .optional()
    .transform((s) => (s ? s : undefined)),
  level: z.enum(STREAM_LEVELS, { error: 'level: expected standard or extended' }).default('standard'),
  enabled: z.boolean({ error: 'enabled: expected true or false' }).default(true),
});
export type StreamConfigInput = z.input<typeof streamConfigSchema>;

const secretContext = (tenantId: string) => `audit-stream:${tenantId}`;

export async function saveStreamConfig(
  deps: AuditStreamDeps,
  tenantId: string,
  raw: unknown,
  by: NonNullable<AuditInput['actor']> & { email?: string },
) {
  const tid = tenantId.toLowerCase();
  if (!(await TenantModel.exists({ tenantId: tid }))) throw notFound(`No tenant ${tid}.`);
  const input = parse(streamConfigSchema, raw);
  const existing = await AuditStreamModel.findOne({ tenantId: tid }).lean();
  if (!existing && !input.clientSecret) throw badRequest('clientSecret: required for a new stream');

  const { clientSecret, ...settings } = input;
  const changed = existing
    ? (Object.keys(settings) as (keyof typeof settings)[]).filter((k) => existing[k] !== settings[k])
    : Object.keys(settings);
  const secret = clientSecret
    ? { clientSecret: await sealSecret(configKeyProvider(deps.config), clientSecret, secretContext(tid)), secretSetAt: new Date() }
    : {};
  await AuditStreamModel.updateOne(
    { tenantId: tid },
    {
      $set: { ...settings, ...secret, updatedBy: by.email },
      $inc: { configVersion: 1, ...(clientSecret && existing ? { secretVersion: 1 } : {}) },
    },
    { upsert: true },
  );
  await audit({
    action: 'audit-stream.configured',
    outcome: 'success',
    actor: by,
    target: { type: 'audit-stream', id: tid },
    tenantId: tid,
    details: { changed, secretChanged: Boolean(clientSecret), ...settings },
  });
  const workflowId = await syncStreamWorkflow(deps.temporal, deps.config.TEMPORAL_TASK_QUEUE, tid);
  return { ...(await streamConfigView(tid)), workflowId };
}

/** Everything staff may see: never the secret, only that one is set and since when. */
export async function streamConfigView(tenantId: string) {
  const tid = tenantId.toLowerCase();
  const [s, progress, quarantined] = await Promise.all([
    AuditStreamModel.findOne({ tenantId: tid }).lean(),
    AuditStreamProgressModel.findById(tid).lean(),
    AuditStreamQuarantineModel.countDocuments({ tenantId: tid }),
  ]);
  if (!s) throw notFound(`No audit stream is configured for ${tid}.`);
  return {
    tenantId: tid,
    endpoint: s.endpoint,
    dcrImmutableId: s.dcrImmutableId,
    streamName: s.streamName,
    directoryId: s.directoryId,
    clientId: s.clientId,
    clientSecret: { set: true, setAt: s.secretSetAt.toISOString() },
    level: s.level,
    enabled: s.enabled,
    configVersion: s.configVersion,
    updatedAt: s.updatedAt?.toISOString(),
    updatedBy: s.updatedBy ?? undefined,
    progress: {
      cursor: progress?.cursor ?? 0,
      delivered: progress?.delivered ?? 0,
      deliveredAt: progress?.deliveredAt?.toISOString(),
      state: progress?.state ?? 'starting',
      reason: progress?.reason ?? undefined,
      quarantined,
    },
  };
}
export type StreamConfigView = Awaited<ReturnType<typeof streamConfigView>>;

/** For the stream's activities only: the configuration with the secret opened. */
export async function loadStreamSettings(config: AuditStreamDeps['config'], tenantId: string) {
  const s = await AuditStreamModel.findOne({ tenantId }).lean();
  if (!s) return undefined;
  const clientSecret = await openSecret(configKeyProvider(config), s.clientSecret, secretContext(tenantId));
  return {
    target: { endpoint: s.endpoint, dcrImmutableId: s.dcrImmutableId, streamName: s.streamName },
    app: { authority: config.LOGS_INGESTION_AUTHORITY_URL, directoryId: s.directoryId, clientId: s.clientId, clientSecret },
    secretVersion: s.secretVersion,
    level: s.level,
    enabled: s.enabled,
    configVersion: s.configVersion,
  };
}
export type StreamSettings = NonNullable<Awaited<ReturnType<typeof loadStreamSettings>>>;

export async function listStreamConfigs() {
  const streams = await AuditStreamModel.find({}, { tenantId: 1 }).sort({ tenantId: 1 }).lean();
  return Promise.all(streams.map((s) => streamConfigView(s.tenantId)));
}
