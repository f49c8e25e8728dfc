import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { createEntraEmulator, type EntraEmulator } from '../../emulator';

/**
 * The Entra emulator on a random port, behind a thin front that records metadata requests
 * and can inject faults into them (onboarding tests); every suite that needs Entra uses it.
 */
export interface Entra {
  emulator: EntraEmulator;
  url: string;
  /** When set, answers metadata requests instead of the emulator (fault injection). */
  metadataFault?: RequestHandler;
  /** Every metadata URL requested, in order. */
  metadataRequests: string[];
  /** host:port of the emulator's loopback DNS server (zone records: `emulator.dns`). */
  dnsServer: string;
  close(): Promise<void>;
}

export async function startEntra(): Promise<Entra> {
  const front = express();
  const server = http.createServer(front);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const emulator = createEntraEmulator({ baseUrl: url });
  const dns = await emulator.startDns();
  const entra: Entra = {
    emulator,
    url,
    metadataRequests: [],
    dnsServer: dns.address,
    async close() {
      await dns.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  front.use((req, res, next) => {
    if (!req.path.endsWith('/federationmetadata.xml')) return next();
    entra.metadataRequests.push(req.originalUrl);
    return entra.metadataFault ? entra.metadataFault(req, res, next) : next();
  });
  front.use((req, res, next) => entra.emulator.app(req, res, next));
  return entra;
}
