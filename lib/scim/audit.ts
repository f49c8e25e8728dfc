import { audit, type AuditInput } from '../audit';
import type { ScimContext } from './context';

/** A change Entra's provisioning made through the SCIM endpoint, audited with the request's address. */
export function auditScim(
  ctx: ScimContext,
  action: string,
  target: NonNullable<AuditInput['target']>,
  details: Record<string, unknown>,
): Promise<string> {
  return audit({ action, outcome: 'success', actor: { kind: 'system' }, target, tenantId: ctx.tenantId, ...ctx.request, details });
}
