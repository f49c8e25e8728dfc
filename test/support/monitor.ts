import { createLogsIngestionEmulator, type LogsIngestionEmulator } from '../../emulator/logs-ingestion';

/** The Logs Ingestion (Azure Monitor) emulator on a random port: the token authority and the ingestion endpoint of streams. */
export interface Monitor {
  emulator: LogsIngestionEmulator;
  url: string;
  close(): Promise<void>;
}

export async function startMonitor(): Promise<Monitor> {
  const emulator = createLogsIngestionEmulator();
  const { url, close } = await emulator.listen(0);
  return { emulator, url, close };
}
