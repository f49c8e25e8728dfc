/**
 * Token-signing certificates of an emulated tenant.
 *
 * Like Entra: self-signed, CN=accounts.accesscontrol.windows.net, RSA-2048, and identified by
 * their SHA-1 thumbprint (upper-case hex, as the Entra portal shows it). Validity is 3 years,
 * which is what Entra gives SAML signing certificates by default.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { takePrivateKey } from './key-pool';
import { createSelfSignedCertificate } from './x509';

export const ENTRA_SIGNING_CN = 'accounts.accesscontrol.windows.net';
const VALIDITY_MS = 3 * 365 * 24 * 3600 * 1000;

export interface SigningCertificate {
  thumbprint: string;
  certPem: string;
  privateKeyPem: string;
  active: boolean;
  notBefore: Date;
  notAfter: Date;
}

export function thumbprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint.replace(/:/g, '').toUpperCase();
}

/** Base64 DER body of a PEM certificate, as it appears inside <X509Certificate>. */
export function certBody(certPem: string): string {
  return certPem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
}

export function newSigningCertificate(now = new Date()): SigningCertificate {
  const privateKeyPem = takePrivateKey();
  const privateKey = createPrivateKey(privateKeyPem);
  // Backdate a little, as real IdPs do, so a slightly slow SP clock never sees "not yet valid".
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - 60_000);
  const notAfter = new Date(notBefore.getTime() + VALIDITY_MS);
  const certPem = createSelfSignedCertificate({
    privateKey,
    publicKey: createPublicKey(privateKey),
    commonName: ENTRA_SIGNING_CN,
    notBefore,
    notAfter,
  });
  return { thumbprint: thumbprintOf(certPem), certPem, privateKeyPem, active: false, notBefore, notAfter };
}

/** Rebuilds a certificate from persisted state, re-deriving what can be derived. */
export function restoreSigningCertificate(saved: { certPem: string; privateKeyPem: string; active: boolean }): SigningCertificate {
  const x509 = new X509Certificate(saved.certPem);
  if (!x509.checkPrivateKey(createPrivateKey(saved.privateKeyPem))) {
    throw new Error(`saved private key does not match certificate ${thumbprintOf(saved.certPem)}`);
  }
  return {
    thumbprint: thumbprintOf(saved.certPem),
    certPem: saved.certPem,
    privateKeyPem: saved.privateKeyPem,
    active: saved.active,
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
  };
}
