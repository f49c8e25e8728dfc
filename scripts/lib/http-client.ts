/**
 * A cookie-keeping HTTP client that acts as one person in a browser without one (tests, the
 * soak benchmark): follows the app's forms (it reads the `_csrf` field of the last HTML page).
 */
export class HttpClient {
  private cookies = new Map<string, string>();
  csrf = '';
  lastHtml = '';

  constructor(readonly baseUrl: string) {}

  async request(
    method: string,
    path: string,
    init: { body?: RequestInit['body']; headers?: Record<string, string>; redirect?: RequestInit['redirect'] } = {},
  ): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = this.cookieHeader;
    const res = await fetch(url, { method, body: init.body, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    if (init.redirect !== 'manual' && res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      const next = new URL(res.headers.get('location')!, url).toString();
      if (next.startsWith(this.baseUrl)) return this.request('GET', next, { redirect: init.redirect });
    }
    if ((res.headers.get('content-type') ?? '').includes('text/html')) {
      const text = await res.text();
      this.lastHtml = text;
      const token = text.match(/name="_csrf" value="([^"]+)"/)?.[1];
      if (token) this.csrf = token;
      return new Response(text, { status: res.status, headers: res.headers });
    }
    return res;
  }

  /** The Cookie header this client sends, for raw requests (e.g. a socket cut mid-upload). */
  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(path: string, opts: { redirect?: RequestInit['redirect'] } = {}) {
    return this.request('GET', path, opts);
  }

  /** Posts a form the way a browser would, adding the page's CSRF token. */
  postForm(path: string, fields: Record<string, string>, opts: { redirect?: RequestInit['redirect'] } = {}) {
    const body = new URLSearchParams({ _csrf: this.csrf, ...fields });
    return this.request('POST', path, { ...opts, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** JSON API call on the session (sends the CSRF header); returns status + parsed body. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- callers type the body they expect
  async api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await this.request(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': this.csrf },
      redirect: 'manual',
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
}
