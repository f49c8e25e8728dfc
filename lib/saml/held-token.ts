import type { Config } from '../config';
import { configKeyProvider, openSecret, sealSecret } from '../secret-box';
import type { HeldSignIn } from './idp-initiated';

/**
 * A held IdP-initiated sign-in carried in its own address instead of a database row: the
 * claims, landing path and expiry sealed with AES-256-GCM (lib/secret-box.ts) under
 * SECRETS_ENCRYPTION_KEY, bound to the tenancy as additional authenticated data. So it cannot
 * be forged, altered or moved to another tenancy, and the address (browser history, access logs)
 * shows no personal data. It is single use through the assertion's claim it carries.
 *
 * `<iv>.<tag>.<data>`, base64url. A key rotation voids the holds in flight (minutes at most).
 */
export const SEALED_HANDLE = /^([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]+)$/;

const context = (tenantId: string) => `saml-held-sign-in:${tenantId}`;
const url = (b64: string) => Buffer.from(b64, 'base64').toString('base64url');
const std = (b64url: string) => Buffer.from(b64url, 'base64url').toString('base64');

interface Sealed {
  claims: HeldSignIn['claims'];
  relayState: string;
  once: { key: string; expiresAt: number };
  expiresAt: number;
}

export async function sealHeldSignIn(config: Pick<Config, 'SECRETS_ENCRYPTION_KEY'>, held: HeldSignIn, expiresAt: Date): Promise<string> {
  const body: Sealed = {
    claims: held.claims,
    relayState: held.relayState,
    once: { key: held.once.key, expiresAt: held.once.expiresAt.getTime() },
    expiresAt: expiresAt.getTime(),
  };
  const sealed = await sealSecret(configKeyProvider(config), JSON.stringify(body), context(held.tenantId));
  return [sealed.iv, sealed.tag, sealed.data].map(url).join('.');
}

/** The sealed sign-in, if the handle is one this key sealed for this tenancy; it may have expired. */
export async function openHeldSignIn(
  config: Pick<Config, 'SECRETS_ENCRYPTION_KEY'>,
  tenantId: string,
  handle: string,
): Promise<{ held: HeldSignIn; expiresAt: Date } | undefined> {
  const parts = SEALED_HANDLE.exec(handle);
  if (!parts) return undefined;
  const keys = configKeyProvider(config);
  const sealed = { keyId: (await keys.current()).id, iv: std(parts[1]!), tag: std(parts[2]!), data: std(parts[3]!) };
  const body = await openSecret(keys, sealed, context(tenantId)).then(
    (json) => JSON.parse(json) as Sealed,
    () => undefined, // altered, or sealed for another tenancy or under another key
  );
  // No claim key: sealed before holds carried one (a deploy ago, minutes at most); it is gone.
  if (!body?.once) return undefined;
  const once = { key: body.once.key, expiresAt: new Date(body.once.expiresAt) };
  return { held: { tenantId, claims: body.claims, relayState: body.relayState, once }, expiresAt: new Date(body.expiresAt) };
}
