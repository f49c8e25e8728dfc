import { randomUUID } from 'node:crypto';
import { STREAM_COLUMNS } from '../../lib/audit-stream/columns';
import { TenantModel } from '../../lib/models';
import type { Monitor } from '../support/monitor';

/**
 * A customer's Azure side in the emulator (an Entra app, a DCR whose stream declares Entrada's
 * columns, the app holding Monitoring Metrics Publisher on it) and the Tenant it belongs to;
 * `config` is what staff would enter for it.
 */
export const STREAM_NAME = 'Custom-EntradaAudit_CL';

export interface CustomerWorkspace {
  tenantId: string;
  dcr: string;
  app: { directoryId: string; clientId: string; clientSecret: string };
  config: Record<string, unknown>;
}

export async function customerWorkspace(
  { emulator: monitor, url }: Monitor,
  opts: { tenantId?: string; role?: boolean } = {},
): Promise<CustomerWorkspace> {
  const tenantId = opts.tenantId ?? randomUUID();
  if (!(await TenantModel.exists({ tenantId }))) await TenantModel.create({ tenantId, name: `Org ${tenantId.slice(0, 6)}`, stage: 'live' });
  const app = { directoryId: tenantId, clientId: randomUUID(), clientSecret: `secret-${randomUUID()}` };
  monitor.registerApp(app);
  const dcr = monitor.createDcr({
    streams: { [STREAM_NAME]: STREAM_COLUMNS.map((c) => ({ ...c })) },
    publishers: opts.role === false ? [] : [app.clientId],
  }).immutableId;
  return {
    tenantId,
    dcr,
    app,
    config: {
      endpoint: url,
      dcrImmutableId: dcr,
      streamName: STREAM_NAME,
      directoryId: app.directoryId,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      level: 'standard',
      enabled: true,
    },
  };
}
