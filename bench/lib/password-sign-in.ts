/**
 * The password sign-in form as a browser uses it: GET /signin (session cookie + CSRF token),
 * then POST /signin. Returns the POST's latency and the signed-in session's cookie.
 */
export async function passwordSignIn(origin: string, email: string, password: string): Promise<{ ms: number; cookie: string }> {
  const page = await fetch(`${origin}/signin`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error('no CSRF token on the sign-in page');
  const started = performance.now();
  const res = await fetch(`${origin}/signin`, {
    method: 'POST',
    headers: { cookie: cookiesOf(page), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email, password }),
    redirect: 'manual',
  });
  const ms = performance.now() - started;
  await res.text();
  if (res.status !== 303) throw new Error(`sign-in of ${email} answered ${res.status}`);
  return { ms, cookie: cookiesOf(res) };
}

const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
