/**
 * URL helpers. Every URL the emulator sends a browser to (ACS, consent redirect, SLO) comes
 * from a request, so it must be an absolute http(s) URL: never javascript:, data: or relative.
 */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
  } catch {
    return false;
  }
}

/**
 * Form-encodes like .NET's HttpUtility.UrlEncode, which is what Entra emits
 * (`AADSTS65004%3a+User+declined…`): lower-case hex escapes and `+` for spaces.
 */
export function dotnetUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
}

/** Appends already-ordered query parameters, keeping any query the URL already has. */
export function withQuery(url: string, params: [string, string | undefined][], encode: (v: string) => string = encodeURIComponent): string {
  const query = params
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encode(v)}`)
    .join('&');
  if (!query) return url;
  const hashAt = url.indexOf('#');
  const [head, hash] = hashAt >= 0 ? [url.slice(0, hashAt), url.slice(hashAt)] : [url, ''];
  return `${head}${head.includes('?') ? '&' : '?'}${query}${hash}`;
}
