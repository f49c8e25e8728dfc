/**
 * Supply of RSA-2048 key pairs for tenant certificates.
 *
 * Why: generating one RSA-2048 key costs ~250 ms on the CI machines, and tests create many
 * tenants. Keys are therefore (1) cached on disk between runs (test-only keys of a fake IdP, one
 * file per key in the git-ignored `.data/entra-emulator-keys/`, so parallel test processes never
 * overwrite each other's additions) and (2) pre-generated in the background by `warmKeyPool`.
 * Security property kept: within one process a key is handed out at most once, so two tenants
 * (or two certificates of one tenant) never share a key, and a signature made for tenant A can
 * never verify against tenant B's certificate.
 *
 * ENTRA_EMULATOR_KEY_CACHE=<dir> moves the cache; ENTRA_EMULATOR_KEY_CACHE=off disables it.
 */
import { createHash, createPrivateKey, generateKeyPair, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const MAX_CACHED = 64;
const KEY_OPTIONS = {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
} as const;

function cacheDir(): string | undefined {
  const env = process.env.ENTRA_EMULATOR_KEY_CACHE;
  if (env === 'off' || env === '0' || env === 'false') return undefined;
  return env ? resolve(env) : resolve(__dirname, '..', '.data', 'entra-emulator-keys');
}

let loaded = false;
let spare: string[] = []; // PKCS#8 PEM private keys not yet handed out in this process
let warming = 0;

function cachedFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.pem'))
      .sort();
  } catch {
    return []; // no cache yet
  }
}

function cachedKeys(): string[] {
  const dir = cacheDir();
  if (!dir) return [];
  return cachedFiles(dir).flatMap((f) => {
    try {
      return [readFileSync(join(dir, f), 'utf8')];
    } catch {
      return [];
    }
  });
}

function load(): void {
  if (loaded) return;
  loaded = true;
  spare = cachedKeys().filter((pem) => {
    try {
      return createPrivateKey(pem).asymmetricKeyDetails?.modulusLength === 2048;
    } catch {
      return false;
    }
  });
}

/** Best effort, one file per key; the rename makes a half-written key invisible to readers. */
function remember(pem: string): void {
  const dir = cacheDir();
  if (!dir || cachedFiles(dir).length >= MAX_CACHED) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `${createHash('sha256').update(pem).digest('hex').slice(0, 32)}.pem`);
    writeFileSync(`${file}.tmp`, pem, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch {
    /* a read-only checkout still works, only slower */
  }
}

/** A PKCS#8 PEM private key never handed out before in this process. */
export function takePrivateKey(): string {
  load();
  const pem = spare.shift();
  if (spare.length < 3) warmKeyPool(3); // replenish in the background for the next tenants
  if (pem) return pem;
  const fresh = generateKeyPairSync('rsa', KEY_OPTIONS).privateKey;
  remember(fresh);
  return fresh;
}

/** Starts background generation until `count` keys are spare. Never blocks, never throws. */
export function warmKeyPool(count = 6): void {
  load();
  while (spare.length + warming < count) {
    warming++;
    generateKeyPair('rsa', KEY_OPTIONS, (err, _pub, priv) => {
      warming--;
      if (err) return;
      spare.push(priv);
      remember(priv);
    });
  }
}
