import { requestToken, type AppCredentials, type TokenResult } from './logs-ingestion';

/**
 * Bearer tokens per app, cached in the process until five minutes before they expire (Entra's
 * are valid for an hour), so a stream asks for one about once an hour. Keyed by the secret's
 * version too: a new secret never uses a token of the old one.
 */
const EARLY_MS = 5 * 60_000;
const cache = new Map<string, { token: string; expiresAt: number }>();

const keyOf = (c: AppCredentials, secretVersion: number) => `${c.authority}|${c.directoryId}|${c.clientId}|${secretVersion}`;

export async function bearerToken(c: AppCredentials, secretVersion: number): Promise<TokenResult> {
  const key = keyOf(c, secretVersion);
  const cached = cache.get(key);
  if (cached && cached.expiresAt - EARLY_MS > Date.now()) return { ok: true, ...cached };
  const result = await requestToken(c);
  if (result.ok) cache.set(key, { token: result.token, expiresAt: result.expiresAt });
  else cache.delete(key);
  return result;
}

/** After a 401: the next `bearerToken` asks the authority again. */
export function forgetToken(c: AppCredentials, secretVersion: number): void {
  cache.delete(keyOf(c, secretVersion));
}
