/**
 * Standalone Logs Ingestion emulator (`npm run emulator:ingestion`; `npm start` runs it).
 *
 *   LOGS_INGESTION_EMULATOR_PORT   port, default 8310 (LOGS_INGESTION_AUTHORITY_URL points here)
 *
 * Starts with one demo workspace for the emulated Contoso directory: an Entra app and a DCR
 * whose stream declares Entrada's columns, the app holding Monitoring Metrics Publisher on it.
 * The banner prints what to enter in the staff console (Audit streams) to stream Contoso.
 */
import { STREAM_COLUMNS } from '../../lib/audit-stream/columns';
import { createLogsIngestionEmulator } from './index';

export const DEMO = {
  directoryId: '6f1d2c3b-4a59-4e68-9d7c-0a1b2c3d4e5f',
  clientId: '3b9e6a1c-2f4d-4c8b-9a7e-5d1f0c2b3a4e',
  clientSecret: 'dev-only-monitor-secret',
  dcrImmutableId: 'dcr-3c9a8f1e2d4b4c6a8e0f1a2b3c4d5e6f',
  streamName: 'Custom-EntradaAudit_CL',
};

async function main() {
  const port = Number(process.env.LOGS_INGESTION_EMULATOR_PORT ?? 8310);
  const monitor = createLogsIngestionEmulator();
  monitor.registerApp(DEMO);
  monitor.createDcr({
    immutableId: DEMO.dcrImmutableId,
    streams: { [DEMO.streamName]: STREAM_COLUMNS.map((c) => ({ ...c })) },
    publishers: [DEMO.clientId],
  });
  const { url } = await monitor.listen(port);
  console.log(
    [
      `Logs Ingestion emulator on ${url} (rows received: ${url}/)`,
      `  demo stream for Contoso: endpoint ${url}, DCR ${DEMO.dcrImmutableId}, stream ${DEMO.streamName},`,
      `  directory ${DEMO.directoryId}, client ${DEMO.clientId}, secret ${DEMO.clientSecret}`,
    ].join('\n'),
  );
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
