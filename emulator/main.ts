/**
 * Standalone Entra emulator (`npm run emulator`).
 *
 *   ENTRA_EMULATOR_PORT      port, default 8300
 *   ENTRA_EMULATOR_HOST      bind address, default 127.0.0.1
 *   ENTRA_EMULATOR_BASE_URL  public base URL if not http://<host>:<port> (e.g. behind a proxy)
 *   ENTRA_EMULATOR_SEED      JSON file of tenants/users to create at start:
 *                            {"tenants":[{"tenantId":"…","name":"Contoso","users":[{"email":"a@contoso.com","groups":["…"]}]}]}
 *                            Merged idempotently: existing tenants/users are kept as they are.
 *                            Example: emulator/seed.example.json
 *   ENTRA_EMULATOR_DNS_PORT  UDP port of the loopback DNS server for domain proofs, default 8353
 *                            (zone records under /_admin/dns)
 *   ENTRA_EMULATOR_STATE     persist state (keys included) so restarts keep tenants and certs:
 *                            "1"/"true" → .data/entra-emulator.json, anything else is the file path
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { createEntraEmulator, type EmulatorState, type EntraEmulator } from './index';

const env = z
  .object({
    ENTRA_EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(8300),
    ENTRA_EMULATOR_HOST: z.string().min(1).default('127.0.0.1'),
    ENTRA_EMULATOR_BASE_URL: z.url().optional(),
    ENTRA_EMULATOR_SEED: z.string().min(1).optional(),
    ENTRA_EMULATOR_STATE: z.string().min(1).optional(),
    ENTRA_EMULATOR_DNS_PORT: z.coerce.number().int().min(0).max(65535).default(8353),
  })
  .safeParse(process.env);
if (!env.success) {
  console.error(`Invalid Entra emulator configuration: ${env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(1);
}
const config = env.data;

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read ${what} ${file}: ${(err as Error).message}`, { cause: err });
  }
}

function statePath(): string | undefined {
  const v = config.ENTRA_EMULATOR_STATE;
  if (!v || v === '0' || v === 'false') return undefined;
  return v === '1' || v === 'true' ? resolve(__dirname, '..', '.data', 'entra-emulator.json') : resolve(v);
}

/** Writes state atomically, coalescing bursts of changes (a seed adds many users at once). */
function persistTo(emulator: EntraEmulator, file: string): () => void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    timer = undefined;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(emulator.exportState(), null, 2), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  };
  emulator.onChange(() => (timer ??= setTimeout(save, 100)));
  return () => {
    if (timer) clearTimeout(timer);
    save();
  };
}

async function main(): Promise<void> {
  const emulator = createEntraEmulator(config.ENTRA_EMULATOR_BASE_URL ? { baseUrl: config.ENTRA_EMULATOR_BASE_URL } : {});
  const stateFile = statePath();
  let restored = false;
  if (stateFile) {
    try {
      emulator.importState(JSON.parse(readFileSync(stateFile, 'utf8')) as EmulatorState);
      restored = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`Cannot restore ${stateFile}: ${(err as Error).message}`, { cause: err });
    }
  }
  if (config.ENTRA_EMULATOR_SEED) emulator.importState(readJson(resolve(config.ENTRA_EMULATOR_SEED), 'seed file') as EmulatorState);
  const flush = stateFile ? persistTo(emulator, stateFile) : undefined;
  flush?.();

  const server = await emulator.listen(config.ENTRA_EMULATOR_PORT, config.ENTRA_EMULATOR_HOST);
  const dns = await emulator.startDns(config.ENTRA_EMULATOR_DNS_PORT, config.ENTRA_EMULATOR_HOST);
  console.log(`Entra ID emulator listening on ${server.url} (public base ${emulator.baseUrl()}), DNS on udp ${dns.address}`);
  if (stateFile) console.log(`  state: ${stateFile}${restored ? ' (restored)' : ' (new)'}`);
  for (const t of emulator.listTenants()) {
    console.log(`  tenant ${t.name} ${t.tenantId}: ${t.users().length} users, metadata ${t.metadataUrl()}`);
  }

  const stop = async () => {
    flush?.();
    await Promise.all([server.close(), dns.close()]);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`Entra emulator failed to start: ${(err as Error).message}`);
  process.exit(1);
});
