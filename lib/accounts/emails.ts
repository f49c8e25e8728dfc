import { brandedEmail, type EmailBody } from '../email-layout';

/** The account emails: text and HTML from the same facts (lib/email-layout.ts). */

/**
 * For mail idempotency keys: the same key within one window is one email (mailer.send), so
 * a double-clicked button or a hammered "resend" sends once per window, not once per click.
 */
export const mailWindow = (ms: number) => Math.floor(Date.now() / ms);
export const MINUTE = 60_000;

export const confirmEmail = (name: string, url: string): EmailBody =>
  brandedEmail({
    subject: 'Confirm your Entrada account',
    heading: `Welcome, ${name}`,
    paragraphs: [
      'Confirm your email address to finish creating your Entrada account. The link works for 3 days.',
      'If you did not create an account, ignore this email: nothing happens until the link is used.',
    ],
    action: { label: 'Confirm my email', url },
  });

/** Sent instead of a second account when someone registers an address that already has one. */
export const registrationAttemptEmail = (signInUrl: string, resetUrl: string): EmailBody =>
  brandedEmail({
    subject: 'Someone tried to create an Entrada account with your email',
    heading: 'You already have an account',
    paragraphs: [
      'Someone (perhaps you) tried to create a new Entrada account with this email address. You already have one, so nothing was changed.',
      `If it was you, sign in at ${signInUrl}, or set a new password at ${resetUrl} if you forgot it. If it was not you, you can ignore this email.`,
    ],
    action: { label: 'Sign in', url: signInUrl },
  });

export const resetEmail = (url: string): EmailBody =>
  brandedEmail({
    subject: 'Reset your Entrada password',
    heading: 'Reset your password',
    paragraphs: [
      'Someone asked to reset the password of your Entrada account. The link works once, for 1 hour.',
      'If it was not you, ignore this email: your password stays as it is.',
    ],
    action: { label: 'Choose a new password', url },
  });

/** Answer to a reset request for an account that has no password to reset. */
export const resetForSsoEmail = (signInUrl: string): EmailBody =>
  brandedEmail({
    subject: 'Your Entrada account uses single sign-on',
    heading: 'No password to reset',
    paragraphs: [
      "Someone asked to reset the password of your Entrada account. This account signs in with your organisation's single sign-on, so it has no Entrada password.",
      "Sign in with your work account; if you cannot, ask your organisation's IT team.",
    ],
    action: { label: 'Sign in', url: signInUrl },
  });

export const passwordChangedEmail = (resetUrl: string): EmailBody =>
  brandedEmail({
    subject: 'Your Entrada password was changed',
    heading: 'Password changed',
    paragraphs: [
      'The password of your Entrada account was just changed, and every session was signed out.',
      `If this was not you, reset your password now at ${resetUrl} and tell your administrator.`,
    ],
  });
