import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../deps';
import { csrfToken } from '../http/csrf';
import { refusalToShow } from '../http/errors';
import { signIn } from '../http/session';
import { requestContext } from '../http/request-context';
import { renderPage } from '../views/page';
import { safeLocalPath } from '../../lib/safe-path';
import { completePasswordReset, checkResetLink, requestPasswordReset } from '../../lib/accounts/password-reset';
import { passwordSignIn } from '../../lib/accounts/password-sign-in';
import { accountRateLimits } from '../http/rate-limits';
import { checkConfirmationLink, confirmRegistration } from '../../lib/accounts/confirmation';
import { register, resendConfirmation } from '../../lib/accounts/registration';
import { signOut } from '../http/sign-out';
import { ssoRedirectFor } from '../../lib/accounts/sign-in-policy';
import { singleLogoutUrl } from '../saml/logout';
import { check, emailOnlySchema, newPasswordSchema, registrationSchema, signInSchema } from '../../lib/accounts/validation';
import { checkInboxView, confirmView, forgotView, linkProblemView, registerView, resetView, signInView } from '../views/accounts';
import { authApiRouter } from './auth-api';

/** Flash messages after a redirect, by key: a URL can pick one, never write one. */
const NOTICES = {
  'password-changed': 'Password changed, and every session of the account signed out. Sign in with the new password.',
} as const;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Standard accounts: the pages (here) and their JSON twins under /api/auth (auth-api.ts). */
export function authRouter(deps: WebDeps): Router {
  const limits = accountRateLimits();
  const router = Router();
  const show = (req: Request, res: Response, title: string, body: (csrf: string) => ReturnType<typeof signInView>, status = 200) =>
    renderPage(req, res, { title, status }, body(csrfToken(req)));

  router.get('/signin', (req, res) => {
    const notice = NOTICES[str(req.query.notice) as keyof typeof NOTICES];
    renderPage(
      req,
      res,
      { title: 'Sign in', notice: notice && { kind: 'success', text: notice } },
      signInView({ csrf: csrfToken(req), email: str(req.query.email), next: safeLocalPath(req.query.next) }),
    );
  });

  router.post('/signin', ...limits.signIn, async (req, res) => {
    const next = safeLocalPath(req.body.next);
    const input = check(signInSchema, req.body);
    if (!input.ok)
      return show(req, res, 'Sign in', (csrf) => signInView({ csrf, email: str(req.body.email), next, error: input.message }), 400);
    const { email, password } = input.data;
    const ssoUrl = await ssoRedirectFor(email, { triedPassword: Boolean(password), next });
    if (ssoUrl) return res.redirect(303, ssoUrl);
    if (!password) return show(req, res, 'Sign in', (csrf) => signInView({ csrf, email, next, error: 'Enter your password.' }), 400);
    try {
      await signIn(req, await passwordSignIn(email, password, requestContext(req)));
    } catch (err) {
      const refused = refusalToShow(err);
      return show(
        req,
        res,
        'Sign in',
        (csrf) => signInView({ csrf, email, next, error: refused.message, unconfirmed: refused.reason === 'email_unconfirmed' }),
        refused.status,
      );
    }
    res.redirect(303, next);
  });

  router.post('/signout', async (req, res) => {
    // SSO sessions also end at Entra (single logout) where the tenant has a logout URL.
    const sloUrl = await singleLogoutUrl(deps, req);
    await signOut(req);
    res.redirect(303, sloUrl ?? '/');
  });

  router.get('/register', (req, res) => show(req, res, 'Create an account', (csrf) => registerView({ csrf })));

  router.post('/register', ...limits.register, async (req, res) => {
    const input = check(registrationSchema, req.body);
    const again = { email: str(req.body.email), displayName: str(req.body.displayName) };
    if (!input.ok) return show(req, res, 'Create an account', (csrf) => registerView({ csrf, ...again, error: input.message }), 400);
    try {
      await register(input.data, requestContext(req), deps);
    } catch (err) {
      const refused = refusalToShow(err);
      const ssoUrl = typeof refused.details?.ssoUrl === 'string' ? refused.details.ssoUrl : undefined;
      return show(
        req,
        res,
        'Create an account',
        (csrf) => registerView({ csrf, ...again, error: refused.message, ssoUrl }),
        refused.status,
      );
    }
    show(req, res, 'Check your inbox', (csrf) => checkInboxView({ csrf, email: input.data.email, what: 'confirm' }));
  });

  router.post('/register/resend', ...limits.register, async (req, res) => {
    const input = check(emailOnlySchema, req.body);
    if (!input.ok)
      return show(req, res, 'Confirmation link', (csrf) => linkProblemView({ csrf, message: input.message, what: 'confirm' }), 400);
    await resendConfirmation(input.data.email, requestContext(req), deps);
    show(req, res, 'Check your inbox', (csrf) => checkInboxView({ csrf, email: input.data.email, what: 'confirm' }));
  });

  router.get('/register/confirm', async (req, res) => {
    const token = str(req.query.token) ?? '';
    try {
      const { email } = await checkConfirmationLink(token, deps);
      show(req, res, 'Confirm your email', (csrf) => confirmView({ csrf, token, email }));
    } catch (err) {
      const refused = refusalToShow(err);
      show(req, res, 'Confirmation link', (csrf) => linkProblemView({ csrf, message: refused.message, what: 'confirm' }), refused.status);
    }
  });

  router.post('/register/confirm', ...limits.confirm, async (req, res) => {
    const token = str(req.body.token) ?? '';
    try {
      await signIn(req, await confirmRegistration(token, str(req.body.password) ?? '', requestContext(req), deps));
    } catch (err) {
      const refused = refusalToShow(err);
      if (refused.reason === 'link_invalid')
        return show(
          req,
          res,
          'Confirmation link',
          (csrf) => linkProblemView({ csrf, message: refused.message, what: 'confirm' }),
          refused.status,
        );
      return show(
        req,
        res,
        'Confirm your email',
        (csrf) => confirmView({ csrf, token, email: str(req.body.email) ?? '', error: refused.message }),
        refused.status,
      );
    }
    res.redirect(303, '/?notice=confirmed');
  });

  router.get('/password/forgot', (req, res) =>
    show(req, res, 'Forgot your password?', (csrf) => forgotView({ csrf, email: str(req.query.email) })),
  );

  router.post('/password/forgot', ...limits.resetRequest, async (req, res) => {
    const input = check(emailOnlySchema, req.body);
    if (!input.ok)
      return show(req, res, 'Forgot your password?', (csrf) => forgotView({ csrf, email: str(req.body.email), error: input.message }), 400);
    await requestPasswordReset(input.data.email, requestContext(req), deps);
    show(req, res, 'Check your inbox', (csrf) => checkInboxView({ csrf, email: input.data.email, what: 'reset' }));
  });

  router.get('/password/reset', async (req, res) => {
    const token = str(req.query.token) ?? '';
    try {
      const { email } = await checkResetLink(token, deps);
      show(req, res, 'Choose a new password', (csrf) => resetView({ csrf, token, email }));
    } catch (err) {
      const refused = refusalToShow(err);
      show(req, res, 'Reset link', (csrf) => linkProblemView({ csrf, message: refused.message, what: 'reset' }), refused.status);
    }
  });

  router.post('/password/reset', ...limits.resetComplete, async (req, res) => {
    const token = str(req.body.token) ?? '';
    const again = (error: string) =>
      show(req, res, 'Choose a new password', (csrf) => resetView({ csrf, token, email: str(req.body.email) ?? '', error }), 400);
    const input = check(newPasswordSchema, req.body);
    if (!input.ok) return again(input.message);
    try {
      const { email } = await completePasswordReset(token, input.data.password, requestContext(req), deps);
      res.redirect(303, `/signin?notice=password-changed&email=${encodeURIComponent(email)}`);
    } catch (err) {
      const refused = refusalToShow(err);
      if (refused.reason === 'link_invalid')
        return show(req, res, 'Reset link', (csrf) => linkProblemView({ csrf, message: refused.message, what: 'reset' }), refused.status);
      again(refused.message);
    }
  });

  router.use('/api/auth', authApiRouter(deps, limits));
  return router;
}
