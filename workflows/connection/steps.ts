/**
 * What the connection does when something happens: a sign-in proved a staged certificate, a
 * burst of signature refusals arrived, an expiry threshold was reached.
 */
import * as c from '../../lib/contracts/connection';
import { dueWarning, warningKey } from '../../lib/contracts/connection-rules';
import { acts } from './activities';
import type { Refresh } from './refresh';
import { note } from './status';

export const audit = (state: c.ConnectionState, action: string, details: Record<string, unknown>, staffEmail?: string) =>
  acts.auditConnection({
    action,
    outcome: 'success',
    actor: staffEmail ? { kind: 'staff', email: staffEmail } : { kind: 'system' },
    tenantId: state.tenantId,
    details,
  });

/** The ACS audited the sign-in; the Tenant records the proof once, and the connection shows `cert-rolled`. */
export async function recordProof(state: c.ConnectionState, proof: c.CertificateProven): Promise<void> {
  const cert = state.certificates.find((x) => x.thumbprint === proof.thumbprint);
  if (!cert || cert.provenAt) return;
  state.certificates = await acts.markCertificateProven({ tenantId: state.tenantId, thumbprint: proof.thumbprint, at: proof.at });
  if (state.problem?.kind === 'signature-failures') state.problem = undefined;
  note(state, `Rollover proven: ${proof.email} signed in with certificate ${proof.thumbprint}`);
}

/** A surprise rotation, most likely: staff hear at once, and (unless paused) the metadata is read now. */
export async function answerBurst(state: c.ConnectionState, burst: c.SignatureBurst, refresh: Refresh): Promise<void> {
  const message = `${burst.count} sign-ins refused for an invalid signature within ${c.SIGNATURE_BURST.windowMs / 60_000} minutes`;
  state.problem = { kind: 'signature-failures', message, at: burst.at };
  note(state, `${message}; ${state.paused ? 'paused, so no refresh' : 'refreshing the metadata now'}`);
  await audit(state, 'sso.connection.signature-burst', {
    count: burst.count,
    auditEventId: burst.auditEventId,
    paused: Boolean(state.paused),
  });
  await acts.sendConnectionAlert({
    tenantId: state.tenantId,
    key: `signature-burst:${burst.auditEventId}`,
    headline: 'Sign-ins refused: invalid signature',
    details: `${message}. The customer has probably rotated their Entra signing certificate without telling anyone. ${
      state.paused
        ? 'The connection is paused, so Entrada did not refresh the metadata: refresh it from the staff console.'
        : 'Entrada is refreshing the federation metadata now; the staff console shows the outcome.'
    }`,
  });
  if (!state.paused) await refresh('signature-burst');
}

/** Staff and the tenancy's admins, once per threshold of the last certificate to expire. */
export async function sendDueWarnings(state: c.ConnectionState): Promise<void> {
  for (let due = dueWarning(state, Date.now()); due; due = dueWarning(state, Date.now())) {
    const { cert, days, covers } = due;
    await acts.sendCertificateExpiryWarning({ tenantId: state.tenantId, thumbprint: cert.thumbprint, notAfter: cert.notAfter, days });
    state.warningsSent.push(...covers.map((d) => warningKey(cert.thumbprint, d)).filter((k) => !state.warningsSent.includes(k)));
    await audit(state, 'sso.certificate.expiry-warning', { thumbprint: cert.thumbprint, notAfter: cert.notAfter, days });
    note(state, `Expiry warning (${days} day${days === 1 ? '' : 's'}) sent for certificate ${cert.thumbprint}`);
  }
}
