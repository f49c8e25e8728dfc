import { Router } from 'express';
import { badRequest, forbidden } from '../../lib/errors';
import type { WebDeps } from '../deps';
import { csrfToken } from '../http/csrf';
import { signIn } from '../http/session';
import { requestContext } from '../http/request-context';
import { completePasswordReset, requestPasswordReset } from '../../lib/accounts/password-reset';
import { passwordSignIn, SIGN_IN_MESSAGES } from '../../lib/accounts/password-sign-in';
import type { AccountRateLimits } from '../http/rate-limits';
import { confirmRegistration } from '../../lib/accounts/confirmation';
import { register, resendConfirmation } from '../../lib/accounts/registration';
import { signOut } from '../http/sign-out';
import { ssoRedirectFor } from '../../lib/accounts/sign-in-policy';
import { emailOnlySchema, newPasswordSchema, parse, registrationSchema, signInSchema } from '../../lib/accounts/validation';

/**
 * The JSON twins of the account pages, mounted at /api/auth, sharing their rate limits.
 * A client first calls `GET /api/auth/me` for the CSRF token it must send as X-CSRF-Token;
 * sign-in starts a new session, so it answers with the new token.
 */
export function authApiRouter(deps: WebDeps, limits: AccountRateLimits): Router {
  const router = Router();
  const accepted = (message: string) => ({ status: 'accepted', message });

  router.get('/me', (req, res) => {
    res.json({ user: req.user ?? null, csrfToken: csrfToken(req) });
  });

  router.post('/register', ...limits.register, async (req, res) => {
    const input = parse(registrationSchema, req.body);
    await register(input, requestContext(req), deps);
    res.status(202).json(accepted(`If ${input.email} can be registered, a confirmation link was sent to it.`));
  });

  router.post('/register/resend', ...limits.register, async (req, res) => {
    const { email } = parse(emailOnlySchema, req.body);
    await resendConfirmation(email, requestContext(req), deps);
    res.status(202).json(accepted(`If ${email} has an unconfirmed account, a new confirmation link was sent to it.`));
  });

  router.post('/confirm', ...limits.confirm, async (req, res) => {
    const { token, password } = parse(newPasswordSchema, req.body);
    const user = await confirmRegistration(token, password, requestContext(req), deps);
    await signIn(req, user);
    res.json({ status: 'confirmed', user, csrfToken: csrfToken(req) });
  });

  router.post('/signin', ...limits.signIn, async (req, res) => {
    const { email, password } = parse(signInSchema, req.body);
    const ssoUrl = await ssoRedirectFor(email);
    if (ssoUrl) throw forbidden(SIGN_IN_MESSAGES['sso-account'], { reason: 'sso_required', details: { url: ssoUrl } });
    if (!password) throw badRequest('Enter your password.', { fields: { password: 'Enter your password.' } });
    const user = await passwordSignIn(email, password, requestContext(req));
    await signIn(req, user);
    res.json({ user, csrfToken: csrfToken(req) });
  });

  router.post('/signout', async (req, res) => {
    await signOut(req);
    res.status(204).end();
  });

  router.post('/password/forgot', ...limits.resetRequest, async (req, res) => {
    const { email } = parse(emailOnlySchema, req.body);
    await requestPasswordReset(email, requestContext(req), deps);
    res.status(202).json(accepted(`If ${email} has an account, a reset link was sent to it.`));
  });

  router.post('/password/reset', ...limits.resetComplete, async (req, res) => {
    const { token, password } = parse(newPasswordSchema, req.body);
    const { email } = await completePasswordReset(token, password, requestContext(req), deps);
    res.json({ status: 'password-changed', email });
  });

  return router;
}
