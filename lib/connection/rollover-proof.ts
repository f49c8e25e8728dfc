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
import { claimOnce } from '../claims';
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

/** The response verifies with this certificate alone (request ID and replay were checked already). */
async function signedWith(options: TenantSamlOptions, pem: string, samlResponse: string): Promise<boolean> {
  const saml = new SAML({ ...options, idpCert: [pem], validateInResponseTo: ValidateInResponseTo.never });
  return saml.validatePostResponseAsync({ SAMLResponse: samlResponse }).then(
    () => true,
    () => false,
  );
}
