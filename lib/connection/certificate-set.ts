/**
 * The trusted certificate set after a metadata refresh, as a pure function of what is stored
 * and what Entra publishes now. Nothing that still works is ever dropped by a refresh:
 * a new certificate is staged beside the current ones; one Entra stopped publishing stays
 * trusted (marked unpublished) until its own expiry or until staff retire it; only expired
 * certificates leave.
 */
import type { SigningCertificate } from '../saml/federation-metadata';
import type { TrustedCertificate } from '../contracts/connection';

export interface StoredCertificate {
  pem: string;
  thumbprint: string;
  notBefore?: Date | null;
  notAfter: Date;
  stagedAt?: Date | null;
  unpublishedAt?: Date | null;
  provenAt?: Date | null;
}

export interface CertificateChanges {
  next: StoredCertificate[];
  staged: string[];
  unpublished: string[];
  dropped: string[];
  republished: string[];
}

export function mergeCertificates(stored: StoredCertificate[], published: SigningCertificate[], now: Date): CertificateChanges {
  const publishedBy = new Map(published.map((c) => [c.thumbprint, c]));
  const changes: CertificateChanges = { next: [], staged: [], unpublished: [], dropped: [], republished: [] };
  for (const cert of stored) {
    if (cert.notAfter.getTime() <= now.getTime()) {
      changes.dropped.push(cert.thumbprint);
      continue;
    }
    const isPublished = publishedBy.has(cert.thumbprint);
    if (!isPublished && !cert.unpublishedAt) changes.unpublished.push(cert.thumbprint);
    if (isPublished && cert.unpublishedAt) changes.republished.push(cert.thumbprint);
    changes.next.push({ ...cert, unpublishedAt: isPublished ? null : (cert.unpublishedAt ?? now) });
  }
  const known = new Set(stored.map((c) => c.thumbprint));
  for (const cert of published) {
    if (known.has(cert.thumbprint)) continue;
    changes.staged.push(cert.thumbprint);
    changes.next.push({
      pem: cert.pem,
      thumbprint: cert.thumbprint,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      stagedAt: now,
      unpublishedAt: null,
      provenAt: null,
    });
  }
  return changes;
}

/**
 * The set a metadata import stores. Before the test period it replaces the set (the customer
 * is still setting up). From testing on it merges like a refresh, so a re-import that brings a
 * new signing certificate stages it beside the current one, both trusted, and the first
 * sign-in verified with it proves it: the rollover rehearsal.
 */
export function certificatesOnImport(
  stored: StoredCertificate[],
  published: SigningCertificate[],
  now: Date,
  inTestPeriod: boolean,
): CertificateChanges {
  if (inTestPeriod && stored.length > 0) return mergeCertificates(stored, published, now);
  const next = published.map(({ pem, thumbprint, notBefore, notAfter }) => ({ pem, thumbprint, notBefore, notAfter }));
  return { next, staged: [], unpublished: [], dropped: [], republished: [] };
}

export const hasChanges = (c: CertificateChanges) => c.staged.length + c.unpublished.length + c.dropped.length + c.republished.length > 0;

const iso = (d?: Date | null) => (d ? d.toISOString() : undefined);

/** The connection workflow's view of a stored certificate (no key material). */
export function trustedView(c: StoredCertificate): TrustedCertificate {
  const view: TrustedCertificate = { thumbprint: c.thumbprint, notAfter: c.notAfter.toISOString() };
  for (const [key, value] of [
    ['notBefore', iso(c.notBefore)],
    ['stagedAt', iso(c.stagedAt)],
    ['unpublishedAt', iso(c.unpublishedAt)],
    ['provenAt', iso(c.provenAt)],
  ] as const) {
    if (value) view[key] = value;
  }
  return view;
}
