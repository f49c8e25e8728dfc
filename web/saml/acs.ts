import type { Request, Response } from 'express';
import { checkEnvelope, checkSignedAssertion } from '../../lib/saml/acs-checks';
import { assertionSignedToo } from '../../lib/saml/checks/assertion-signature';
import { orgAttributeMatches } from '../../lib/saml/checks/connection';
import { readResponseEnvelope } from '../../lib/saml/checks/message';
import { rejectionFromNodeSaml } from '../../lib/saml/checks/node-saml-errors';
import { SamlRejection } from '../../lib/saml/rejection';
import { acsUrl } from '../../lib/saml/sp-urls';
import { loadTenantSaml, type TenantSaml } from '../../lib/saml/tenant-config';
import type { TenantSamlOptions } from '../../lib/saml/sp-options';
import { recordRolloverProof } from '../../lib/connection/rollover-proof';
import { passesGroupGate, passesMfaPolicy, tenantAcceptsSignIn } from '../../lib/sso/access-policy';
import { mapClaims } from '../../lib/sso/claims';
import { transitiveGroupsOf } from '../../lib/graph/member-groups';
import type { WebDeps } from '../deps';
import { refuseOversizeBody } from './body-limit';
import type { RefusalContext } from './refusal';
import { validateSamlPost } from './strategy';
import { testRunOfRequest } from '../../lib/portal/test-sign-in';
import { requestIdsOf } from '../../lib/saml/request-ids';

export type ReadyTenant = TenantSaml & { options: TenantSamlOptions };

/** The tenant of a SAML route, if it exists and SSO sign-in through it is switched on. */
export async function signInTenant(deps: Pick<WebDeps, 'config'>, tenantId: string): Promise<ReadyTenant> {
  const tenant = await loadTenantSaml(deps.config, tenantId);
  if (!tenant) throw new SamlRejection('tenant-not-enabled', 'No such tenant', 'a connected tenant', tenantId);
  tenantAcceptsSignIn(tenant);
  if (!tenant.options)
    throw new SamlRejection(
      'tenant-not-enabled',
      'The tenant has no SSO URL or no current signing certificate',
      'SAML configuration',
      null,
    );
  return tenant as ReadyTenant;
}

/**
 * Everything between "the IdP posted a SAMLResponse" and "this is who it is": the whole check
 * chain, in order (see lib/saml/acs-checks.ts). `ctx` is filled as facts become known, so a
 * refusal is audited with the tenant and, once read, the claims. Throws SamlRejection. An
 * unsolicited response comes back with its single-use claim still pending: only the held
 * sign-in's step may finish it (./idp-initiated.ts).
 */
export async function verifySamlPost(deps: Pick<WebDeps, 'config' | 'temporal'>, req: Request, res: Response, ctx: RefusalContext) {
  refuseOversizeBody(res);
  const tenant = await signInTenant(deps, ctx.tenantId);
  ctx.tenant = tenant;
  const acs = acsUrl(deps.config, tenant.tenantId);
  const envelope = readResponseEnvelope(req.body?.SAMLResponse);
  ctx.inResponseTo = envelope.inResponseTo;
  checkEnvelope(envelope, tenant, acs);
  const profile = await validateSamlPost(req, res, tenant).catch((err: unknown) => {
    throw rejectionFromNodeSaml(err, envelope);
  });
  if (tenant.signsBoth) assertionSignedToo(envelope.root, tenant.options.idpCert as string[]);
  const assertion = await checkSignedAssertion(profile, tenant, acs);
  // From here the signed binding decides whether this is a portal test sign-in.
  ctx.testRunId = testRunOfRequest(requestIdsOf(deps.config), tenant.tenantId, assertion.requestId) ?? null;
  const claims = {
    ...mapClaims(tenant.connection.claims, profile),
    assertionId: assertion.id,
    ...(assertion.unsolicited ? { idpInitiated: true } : {}),
  };
  ctx.claims = claims;
  orgAttributeMatches(claims.tenantId, tenant.connection.claims.org);
  // The groups that decided (Graph's, for an overage) also decide the tenancy-admin mapping.
  claims.groups = await passesGroupGate(
    tenant,
    claims,
    deps.config.ENTRA_CLIENT_SECRET ? (tid, oid) => transitiveGroupsOf(deps.config, tid, oid) : undefined,
  );
  passesMfaPolicy(tenant, claims);
  await recordRolloverProof(deps, tenant, String(req.body.SAMLResponse), { email: claims.email, ip: req.ip });
  return { tenant, claims, ...(assertion.pendingClaim ? { pendingClaim: assertion.pendingClaim } : {}) };
}
