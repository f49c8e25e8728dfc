/**
 * Azure Monitor Logs Ingestion emulator: the two Azure endpoints an audit stream talks to,
 * speaking their real protocols, with fault switches. Used by the dev stack
 * (`npm run emulator:ingestion`, started by `npm start`), tests (in process) and the stream
 * benchmark. Azure cannot be reached from our machines; this is its stand-in.
 *
 *   const monitor = createLogsIngestionEmulator();
 *   const { url } = await monitor.listen(0);
 *   monitor.registerApp({ directoryId, clientId, clientSecret });          // an Entra app
 *   const dcr = monitor.createDcr({ streams: { 'Custom-EntradaAudit_CL': columns }, publishers: [clientId] });
 *   monitor.faults.set({ kind: 'throttle', retryAfter: 5, times: 2 });      // see faults.ts
 *   monitor.rows(dcr.immutableId)                                          // what was accepted
 *
 * HTTP: POST /<directory>/oauth2/v2.0/token (token.ts), POST /dataCollectionRules/<dcr>/streams/<stream>
 * (ingest.ts), GET / (rows received), /_admin/… (admin-api.ts).
 */
import express, { type Express } from 'express';
import { listenOn } from '../listen';
import { adminApi } from './admin-api';
import { Faults } from './faults';
import { ingestRouter } from './ingest';
import { receivedPage } from './page';
import { tokenRouter } from './token';
import { IngestionState, type Column, type EmulatedApp, type EmulatedDcr, type ReceivedRow } from './state';

export type { Column, EmulatedApp, EmulatedDcr, ReceivedRow } from './state';
export type { Fault } from './faults';

/** The service's limit for one call, compressed and uncompressed alike. */
export const MAX_CALL_BYTES = 1024 * 1024;

export interface LogsIngestionEmulator {
  app: Express;
  listen(port?: number, host?: string): Promise<{ url: string; close(): Promise<void> }>;
  registerApp(app: EmulatedApp): EmulatedApp;
  createDcr(input: { immutableId?: string; streams: Record<string, Column[]>; publishers?: string[] }): EmulatedDcr;
  faults: Faults;
  /** Rows accepted, optionally of one DCR (and stream). */
  rows(dcr?: string, stream?: string): ReceivedRow[];
  /** Requests answered so far by outcome: `204`, `429`, `dropped`, `token:200`... */
  answers(): Record<string, number>;
  /** Lifetime of tokens issued from now on (default 3599 s, as Entra's). */
  setTokenLifetime(seconds: number): void;
  revokeTokens(): void;
  /** For tests of the size limit: the largest call accepted (default 1 MB). */
  limits: { maxBytes: number };
}

export function createLogsIngestionEmulator(): LogsIngestionEmulator {
  const state = new IngestionState();
  const faults = new Faults();
  const limits = { maxBytes: MAX_CALL_BYTES };
  const app = express();
  app.disable('x-powered-by');
  app.use('/_admin', adminApi(state, faults));
  app.get('/', (req, res) => void res.type('html').send(receivedPage(state, faults, `${req.protocol}://${req.get('host')}`)));
  // Down: every connection is cut, tokens included, as when the service cannot be reached.
  app.use((req, _res, next) => {
    if (faults.active()?.kind !== 'down') return next();
    faults.take(true);
    state.count('down');
    req.socket.destroy();
  });
  app.use(tokenRouter(state, faults));
  app.use(ingestRouter(state, faults, limits));
  return {
    app,
    listen: (port = 0, host = '127.0.0.1') => listenOn(app, port, host),
    registerApp: (a) => state.registerApp(a),
    createDcr: (input) => state.createDcr(input),
    faults,
    rows: (dcr, stream) => state.rows.filter((r) => (!dcr || r.dcr === dcr) && (!stream || r.stream === stream)),
    answers: () => Object.fromEntries(state.answers),
    setTokenLifetime: (s) => void (state.tokenLifetimeSeconds = s),
    revokeTokens: () => state.revokeTokens(),
    limits,
  };
}
