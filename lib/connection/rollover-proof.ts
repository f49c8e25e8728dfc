/**
 * The first sign-in verified with a staged certificate proves the rollover worked: it is
 * audited (`sso.certificate.proven`) and reported to the connection, once per certificate.
 *
 * node-saml does not say which trusted certificate verified a response. The KeyInfo Entra
 * puts in the signature names the key it used, but KeyInfo is not signed, so it is only a
 * hint: the response is verified again with that staged certificate alone. This runs only
 * while a staged certificate awaits its proof and the response names it, so ordinary sign-ins
 * pay one string search.
 */
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import { audit } from '../audit';
import { claimOnce, withLock } from '../claims';
import { TEST_PERIOD } from '../contracts/shared';
import { TenantModel } from '../models';
import { reportSsoEvidence } from '../sso/evidence';
import type { StoredCertificate } from './certificate-set';
import { certificateProvenSignal } from '../contracts/connection';
import type { TenantSaml } from '../saml/tenant-config';
import type { TenantSamlOptions } from '../saml/sp-options';
import { tellConnection } from './signals';

const derBody = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');

export async function recordRolloverProof(
  deps: { temporal: Client; config: Pick<Config, 'TEMPORAL_TASK_QUEUE'> },
  tenant: TenantSaml & { options: TenantSamlOptions },
  samlResponse: string,
  who: { email: string; ip?: string },
): Promise<string | undefined> {
  if (tenant.awaitingProof.length === 0) return undefined;
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8').replace(/\s/g, '');
  for (const cert of tenant.awaitingProof.filter((c) => xml.includes(derBody(c.pem)))) {
    if (!(await signedWith(tenant.options, cert.pem, samlResponse))) continue;
    if (!(await claimOnce(`certificate-proven:${tenant.tenantId}:${cert.thumbprint}`))) return undefined;
    const at = new Date().toISOString();
    const auditEventId = await audit({
      action: 'sso.certificate.proven',
      outcome: 'success',
      actor: { kind: 'user', email: who.email },
      target: { type: 'tenant', id: tenant.tenantId },
      tenantId: tenant.tenantId,
      ...(who.ip ? { ip: who.ip } : {}),
      details: { thumbprint: cert.thumbprint },
    });
    if (TEST_PERIOD.includes(tenant.stage)) await proveInTestPeriod(deps.temporal, tenant, cert.thumbprint, at, auditEventId, who.email);
    else
      await tellConnection(deps.temporal, deps.config, tenant.tenantId, certificateProvenSignal, {
        thumbprint: cert.thumbprint,
        at,
        auditEventId,
        email: who.email,
      });
    return cert.thumbprint;
  }
  return undefined;
}

/**
 * In the test period there is no connection workflow yet: the proof is marked on the set here,
 * and ticks the onboarding's rehearsal item, citing the audit event.
 */
async function proveInTestPeriod(
  temporal: Client,
  tenant: TenantSaml,
  thumbprint: string,
  at: string,
  auditEventId: string,
  email: string,
) {
  await markCertificateProven(tenant.tenantId, thumbprint, new Date(at));
  await reportSsoEvidence(temporal, {
    tenantId: tenant.tenantId,
    stage: tenant.stage,
    configVersion: tenant.configVersion,
    item: 'certificate-rollover',
    email,
    auditEventIds: [auditEventId],
    summary: `Signed in with the staged certificate ${thumbprint} at ${at}`,
  });
}

/** Marks a staged certificate proven (once), under the lock every change of the set takes. */
export async function markCertificateProven(tenantId: string, thumbprint: string, at: Date): Promise<StoredCertificate[]> {
  return withLock(`sso-certificates:${tenantId}`, async () => {
    const tenant = await TenantModel.findOne({ tenantId }, { saml: 1 }).lean();
    const stored = (tenant?.saml?.certificates ?? []) as StoredCertificate[];
    const cert = stored.find((c) => c.thumbprint === thumbprint);
    if (cert && !cert.provenAt) {
      cert.provenAt = at;
      await TenantModel.updateOne({ tenantId }, { $set: { 'saml.certificates': stored }, $inc: { configVersion: 1 } });
    }
    return stored;
  });
}

/** The response verifies with this certificate alone (request ID and replay were checked already). */
async function signedWith(options: TenantSamlOptions, pem: string, samlResponse: string): Promise<boolean> {
  const saml = new SAML({ ...options, idpCert: [pem], validateInResponseTo: ValidateInResponseTo.never });
  return saml.validatePostResponseAsync({ SAMLResponse: samlResponse }).then(
    () => true,
    () => false,
  );
}
