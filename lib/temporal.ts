import fs from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from './config';

type TemporalConfig = Pick<
  Config,
  'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY' | 'TEMPORAL_API_KEY'
>;

/** Same options for client and worker: plain, mTLS (self-hosted / Cloud) or API key (Cloud). */
function connectionOptions(config: TemporalConfig): ConnectionOptions & NativeConnectionOptions {
  const options: ConnectionOptions & NativeConnectionOptions = { address: config.TEMPORAL_ADDRESS };
  if (config.TEMPORAL_TLS_CERT && config.TEMPORAL_TLS_KEY) {
    options.tls = {
      clientCertPair: { crt: fs.readFileSync(config.TEMPORAL_TLS_CERT), key: fs.readFileSync(config.TEMPORAL_TLS_KEY) },
    };
  } else if (config.TEMPORAL_API_KEY) {
    options.tls = true;
  }
  if (config.TEMPORAL_API_KEY) {
    options.apiKey = config.TEMPORAL_API_KEY;
    options.metadata = { 'temporal-namespace': config.TEMPORAL_NAMESPACE };
  }
  return options;
}

export async function createTemporalClient(config: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}

export function createWorkerConnection(config: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config));
}
