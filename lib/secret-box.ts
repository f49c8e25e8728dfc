import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Config } from './config';

/**
 * Secrets at rest (a customer's SIEM app secret): AES-256-GCM, each sealed with a fresh
 * 96-bit IV and bound to what it belongs to (the `context`, as additional authenticated data),
 * so a sealed value copied onto another tenancy's record does not open.
 *
 * Keys come from a KeyProvider: today the one key in configuration; a KMS (envelope
 * encryption, rotation) can implement the same two methods. Each sealed value records the ID
 * of its key, so rotation only needs the old key to stay readable.
 */
export interface DataKey {
  id: string;
  key: Buffer;
}

export interface KeyProvider {
  /** The key new secrets are sealed with. */
  current(): Promise<DataKey>;
  /** The key with this ID, to open what it sealed; undefined when it is not known (any more). */
  byId(id: string): Promise<DataKey | undefined>;
}

export interface SealedSecret {
  keyId: string;
  iv: string;
  tag: string;
  data: string;
}

export class SecretUnavailable extends Error {
  constructor(reason: string) {
    super(`the stored secret cannot be opened: ${reason}`);
    this.name = 'SecretUnavailable';
  }
}

/** The key from `SECRETS_ENCRYPTION_KEY`; its ID is derived from it (never the key itself). */
export function configKeyProvider(config: Pick<Config, 'SECRETS_ENCRYPTION_KEY'>): KeyProvider {
  const key = Buffer.from(config.SECRETS_ENCRYPTION_KEY, 'base64');
  const dataKey = { id: `config:${createHash('sha256').update(key).digest('hex').slice(0, 12)}`, key };
  return {
    current: async () => dataKey,
    byId: async (id) => (id === dataKey.id ? dataKey : undefined),
  };
}

export async function sealSecret(keys: KeyProvider, plaintext: string, context: string): Promise<SealedSecret> {
  const { id, key } = await keys.current();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: id, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

export async function openSecret(keys: KeyProvider, sealed: SealedSecret, context: string): Promise<string> {
  const dataKey = await keys.byId(sealed.keyId);
  if (!dataKey) throw new SecretUnavailable(`key ${sealed.keyId} is not configured`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey.key, Buffer.from(sealed.iv, 'base64')).setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretUnavailable('it was altered, or sealed for something else');
  }
}
