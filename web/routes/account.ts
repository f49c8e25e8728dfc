import { Router, type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { audit } from '../../lib/audit';
import { requestUserDeletion } from '../../lib/deletion/requests';
import { badRequest, forbidden, tooManyRequests } from '../../lib/errors';
import { UserModel } from '../../lib/models';
import { verifyPassword } from '../../lib/passwords';
import type { WebDeps } from '../deps';
import { csrfToken } from '../http/csrf';
import { requireUser } from '../http/guards';
import { html, type SafeHtml } from '../views/html';
import { page } from '../views/layout';
import { renderPage } from '../views/page';
import { requestContext } from '../http/request-context';
import { signOut } from '../http/sign-out';
import { check, emailSchema } from '../../lib/accounts/validation';

const confirmSchema = z.object({
  email: emailSchema,
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(1024),
});
const SELF_REASON = 'Deleted by the user from their account settings.';

/**
 * Self-service deletion for standard accounts: `/account/delete` (page) and
 * `POST /api/account/delete {email, password}`. The user confirms with their password and
 * by typing their email; then the same `deleteUser` workflow as staff use runs, and this
 * session ends at once (the workflow revokes every other one).
 */
export function accountRouter({ config, temporal }: WebDeps): Router {
  const router = Router();
  // Wrong passwords per signed-in user: a borrowed session cannot guess its way to a deletion.
  const attempts = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: 5,
    skipSuccessfulRequests: true,
    keyGenerator: (req) => req.user?.id ?? 'anonymous',
    handler: (_req, _res, next) => next(tooManyRequests('Too many wrong passwords. Wait a few minutes and try again.')),
  });
  router.use(['/account/delete', '/api/account/delete'], requireUser);

  router.get('/account/delete', (req, res) => {
    renderPage(req, res, { title: 'Delete your account' }, confirmView(req));
  });

  router.post('/account/delete', attempts, async (req, res) => {
    const input = check(confirmSchema, req.body);
    const problem = input.ok ? await confirmationProblem(req, input.data) : input.message;
    if (problem)
      return renderPage(
        req,
        res,
        { title: 'Delete your account', status: 400, notice: { kind: 'error', text: problem } },
        confirmView(req),
      );
    await deleteSelf(req);
    // Signed out now: the page has no user and no session to hold a CSRF token.
    res.type('html').send(
      page(
        { title: 'Account deleted' },
        html`<div class="card"><h1>Your account is being deleted</h1>
<p>You have been signed out. Your files, contacts, messages and meetings are being deleted now; we will send a confirmation to your email address when it is done.</p>
<p>If you sign up again with the same address, you will start with a new, empty account.</p></div>`,
      ),
    );
  });

  router.post('/api/account/delete', attempts, async (req, res) => {
    const input = check(confirmSchema, req.body);
    const problem = input.ok ? await confirmationProblem(req, input.data) : input.message;
    if (problem) throw badRequest(problem);
    res.status(202).json(await deleteSelf(req));
  });

  async function deleteSelf(req: Request) {
    const me = req.user!;
    const { workflowId } = await requestUserDeletion(temporal, config.TEMPORAL_TASK_QUEUE, {
      userId: me.id,
      requestedBy: { kind: 'self', userId: me.id, email: me.email, reason: SELF_REASON },
    });
    await signOut(req);
    return { workflowId };
  }
  return router;
}

/** Typed email must be this account's; the password must be its password (audited when not). */
async function confirmationProblem(req: Request, input: z.infer<typeof confirmSchema>): Promise<string | undefined> {
  const me = req.user!;
  if (me.kind !== 'standard') throw forbidden('Your organisation manages your account: ask its administrator to delete it.');
  if (input.email !== me.email) return `Type your email address (${me.email}) exactly to confirm.`;
  const user = await UserModel.findById(me.id, { passwordHash: 1 }).lean();
  if (await verifyPassword(input.password, user?.passwordHash)) return undefined;
  await audit({
    action: 'user.deletion.confirm',
    outcome: 'denied',
    actor: { kind: 'user', userId: me.id, email: me.email },
    target: { type: 'user', id: me.id },
    tenantId: me.tenantId ?? undefined,
    ...requestContext(req),
    details: { why: 'wrong password' },
  });
  return 'That password is not right.';
}

function confirmView(req: Request): SafeHtml {
  const me = req.user!;
  if (me.kind !== 'standard') {
    return html`<div class="card"><h1>Delete your account</h1><p>Your account is managed by your organisation through single sign-on. Ask your organisation's administrator to delete it.</p></div>`;
  }
  return html`<div class="card"><h1>Delete your account</h1>
<p>This permanently deletes your account <strong>${me.email}</strong>: every file you own, your contacts, your messages and the meetings you organised. Hubs you alone own go to another hub admin, or are deleted with their files if there is none. This cannot be undone.</p>
<form method="post" action="/account/delete"><input type="hidden" name="_csrf" value="${csrfToken(req)}">
<label for="email">Type your email address to confirm</label><input id="email" name="email" type="email" autocomplete="off" required>
<label for="password">Your password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button class="danger">Delete my account permanently</button></form></div>`;
}
