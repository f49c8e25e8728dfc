/**
 * The connection's rules, as pure functions of its state and the time (the workflow passes
 * workflow time): its health, which expiry warning is due, and the staff update validators.
 */
import { FailureType } from './failures';
import { refuse } from './refusal';
import { EXPIRY_WARNING_DAYS, ROLLED_SHOWN_MS, type ConnectionHealth, type ConnectionState, type TrustedCertificate } from './connection';

const DAY = 24 * 3600 * 1000;
const time = (iso: string) => Date.parse(iso);

export const trusted = (certs: TrustedCertificate[], now: number) => certs.filter((c) => time(c.notAfter) > now);

/** The certificate that keeps sign-in working longest: when it expires, every one has. */
export function lastToExpire(certs: TrustedCertificate[], now: number): TrustedCertificate | undefined {
  return trusted(certs, now).sort((a, b) => time(b.notAfter) - time(a.notAfter))[0];
}

export function healthOf(s: Pick<ConnectionState, 'paused' | 'problem' | 'certificates'>, now: number): ConnectionHealth {
  if (s.paused) return 'paused';
  if (s.problem) return 'failing';
  const last = lastToExpire(s.certificates, now);
  if (!last) return 'failing';
  if (time(last.notAfter) - now <= EXPIRY_WARNING_DAYS[0] * DAY) return 'cert-expiring';
  if (s.certificates.some((c) => c.provenAt && now - time(c.provenAt) < ROLLED_SHOWN_MS)) return 'cert-rolled';
  return 'healthy';
}

export const warningKey = (thumbprint: string, days: number) => `${thumbprint}:${days}`;

/**
 * The expiry warning due now, if any: the tightest threshold the last certificate to expire
 * has passed and that was not sent for it. Wider thresholds passed at the same time are
 * covered by it (a connection first seen 5 days before expiry gets the 7-day warning only).
 */
export function dueWarning(
  s: Pick<ConnectionState, 'certificates' | 'warningsSent'>,
  now: number,
): { cert: TrustedCertificate; days: number; covers: number[] } | undefined {
  const cert = lastToExpire(s.certificates, now);
  if (!cert) return undefined;
  const left = time(cert.notAfter) - now;
  const passed = EXPIRY_WARNING_DAYS.filter((d) => left <= d * DAY);
  const days = passed.at(-1);
  if (days === undefined || s.warningsSent.includes(warningKey(cert.thumbprint, days))) return undefined;
  return { cert, days, covers: passed };
}

/** When the next threshold of the last certificate to expire is reached (undefined: none left). */
export function nextWarningAt(s: Pick<ConnectionState, 'certificates' | 'warningsSent'>, now: number): number | undefined {
  const cert = lastToExpire(s.certificates, now);
  if (!cert) return undefined;
  const at = EXPIRY_WARNING_DAYS.filter((d) => !s.warningsSent.includes(warningKey(cert.thumbprint, d)))
    .map((d) => time(cert.notAfter) - d * DAY)
    .filter((t) => t > now);
  return at.length ? Math.min(...at) : undefined;
}

const reasonProblem = (reason: unknown) =>
  typeof reason !== 'string' || reason.trim().length < 10 ? 'write a reason of at least 10 characters' : undefined;

export function validatePause(s: ConnectionState, args: { reason: string }): void {
  if (s.paused) throw refuse(FailureType.Conflict, `the connection is already paused (by ${s.paused.by})`);
  const problem = reasonProblem(args.reason);
  if (problem) throw refuse(FailureType.InvalidInput, `Pausing: ${problem}`);
}

export function validateSettingsChange(args: { reason: string }): void {
  const problem = reasonProblem(args.reason);
  if (problem) throw refuse(FailureType.InvalidInput, `Changing the connection's settings: ${problem}`);
}

export function validateResume(s: ConnectionState): void {
  if (!s.paused) throw refuse(FailureType.Conflict, 'the connection is not paused');
}

/** Retiring a certificate never leaves the tenancy without one that is valid now. */
export function validateRetire(s: ConnectionState, args: { thumbprint: string; reason: string }, now: number): void {
  const wanted = String(args.thumbprint ?? '')
    .replace(/[:\s]/g, '')
    .toUpperCase();
  const cert = s.certificates.find((c) => c.thumbprint === wanted);
  if (!cert) throw refuse(FailureType.NotFound, `no trusted certificate ${args.thumbprint}`);
  if (!cert.unpublishedAt)
    throw refuse(
      FailureType.Conflict,
      `certificate ${cert.thumbprint} is still published in the tenancy's metadata; only one Entra no longer publishes can be retired`,
    );
  const others = trusted(s.certificates, now).filter((c) => c !== cert && (!c.notBefore || time(c.notBefore) <= now));
  if (others.length === 0)
    throw refuse(FailureType.Conflict, `certificate ${cert.thumbprint} is the only valid one; retiring it would stop every sign-in`);
  const problem = reasonProblem(args.reason);
  if (problem) throw refuse(FailureType.InvalidInput, `Retiring: ${problem}`);
}

/** When a proven rollover stops being shown as `cert-rolled` (the health changes then). */
export function rolledUntil(s: Pick<ConnectionState, 'certificates'>, now: number): number | undefined {
  const ends = s.certificates.flatMap((c) => (c.provenAt ? [time(c.provenAt) + ROLLED_SHOWN_MS] : [])).filter((t) => t > now);
  return ends.length ? Math.min(...ends) : undefined;
}
