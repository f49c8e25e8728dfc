import { randomBytes, randomUUID } from 'node:crypto';

/** What the emulated Azure holds: Entra apps (client credentials), issued tokens, DCRs and the rows they accepted. */
export interface EmulatedApp {
  directoryId: string;
  clientId: string;
  clientSecret: string;
}

export type ColumnType = 'string' | 'datetime' | 'int' | 'long' | 'real' | 'boolean' | 'dynamic';
export interface Column {
  name: string;
  type: ColumnType;
}

export interface EmulatedDcr {
  immutableId: string;
  /** Stream declarations: `Custom-<name>` → its columns. */
  streams: Record<string, Column[]>;
  /** Client IDs holding Monitoring Metrics Publisher on this DCR. */
  publishers: Set<string>;
}

export interface ReceivedRow {
  dcr: string;
  stream: string;
  receivedAt: string;
  row: Record<string, unknown>;
}

interface IssuedToken {
  directoryId: string;
  clientId: string;
  expiresAt: number;
}

const key = (directoryId: string, clientId: string) => `${directoryId.toLowerCase()}|${clientId.toLowerCase()}`;

export class IngestionState {
  private apps = new Map<string, EmulatedApp>();
  private tokens = new Map<string, IssuedToken>();
  readonly dcrs = new Map<string, EmulatedDcr>();
  readonly rows: ReceivedRow[] = [];
  /** Requests answered, by outcome (`204`, `429`, `dropped`...), for tests and the page. */
  readonly answers = new Map<string, number>();
  tokenLifetimeSeconds = 3599;

  registerApp(app: EmulatedApp): EmulatedApp {
    this.apps.set(key(app.directoryId, app.clientId), {
      ...app,
      directoryId: app.directoryId.toLowerCase(),
      clientId: app.clientId.toLowerCase(),
    });
    return app;
  }

  knowsDirectory(directoryId: string): boolean {
    return [...this.apps.values()].some((a) => a.directoryId === directoryId.toLowerCase());
  }

  app(directoryId: string, clientId: string): EmulatedApp | undefined {
    return this.apps.get(key(directoryId, clientId));
  }

  issueToken(app: EmulatedApp): { token: string; expiresIn: number } {
    const token = `emu.${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, {
      directoryId: app.directoryId,
      clientId: app.clientId,
      expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000,
    });
    return { token, expiresIn: this.tokenLifetimeSeconds };
  }

  /** The app a bearer token was issued to, while it is valid. */
  bearer(token: string): IssuedToken | undefined {
    const t = this.tokens.get(token);
    return t && t.expiresAt > Date.now() ? t : undefined;
  }

  /** Every token issued so far stops working (as after a secret rotation or revocation). */
  revokeTokens(): void {
    this.tokens.clear();
  }

  tokensIssued(): number {
    return this.tokens.size;
  }

  createDcr(input: { immutableId?: string; streams: Record<string, Column[]>; publishers?: string[] }): EmulatedDcr {
    const immutableId = input.immutableId ?? `dcr-${randomUUID().replace(/-/g, '')}`;
    const dcr = { immutableId, streams: input.streams, publishers: new Set((input.publishers ?? []).map((c) => c.toLowerCase())) };
    this.dcrs.set(immutableId, dcr);
    return dcr;
  }

  count(answer: string): void {
    this.answers.set(answer, (this.answers.get(answer) ?? 0) + 1);
  }
}
