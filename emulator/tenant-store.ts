/**
 * All tenants of one emulator instance, looked up by tenant ID (case-insensitively, as Entra
 * treats GUIDs). Tenant IDs are GUIDs by default; any URL-safe ID is accepted so tests can use
 * readable ones, except the names Entra reserves for multi-tenant endpoints.
 */
import { randomUUID } from 'node:crypto';
import type { CreateTenantInput, SigningMode } from './index';
import { EmulatorError } from './errors';
import { Tenant } from './tenants';
import { applyTenantState, parseEmulatorState, tenantToState, type EmulatorState } from './state';

const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const RESERVED_TENANTS = ['common', 'organizations', 'consumers', '_admin', 'okta'];
const SIGNING_MODES: SigningMode[] = ['assertion', 'response', 'both'];

export class TenantStore {
  private readonly tenants = new Map<string, Tenant>();

  constructor(
    private readonly base: () => string,
    private readonly changed: () => void,
  ) {}

  create(input: CreateTenantInput = {}): Tenant {
    const tenant = this.build(input);
    tenant.addSigningCertificate(); // Entra tenants always come with an active signing key
    this.tenants.set(tenant.tenantId.toLowerCase(), tenant);
    this.changed();
    return tenant;
  }

  get(tenantId: string): Tenant | undefined {
    return this.tenants.get(tenantId.toLowerCase());
  }

  list(): Tenant[] {
    return [...this.tenants.values()];
  }

  exportState(): EmulatorState {
    return { tenants: this.list().map(tenantToState) };
  }

  /**
   * Restores tenants from state or a seed file. Existing tenants are merged into (missing users,
   * apps and consents added) rather than replaced, so seeding a persisted emulator is idempotent.
   */
  importState(state: EmulatorState): void {
    for (const s of parseEmulatorState(state).tenants) {
      let tenant = s.tenantId ? this.get(s.tenantId) : undefined;
      if (!tenant) {
        tenant = this.build(s);
        if (!s.certificates?.length) tenant.addSigningCertificate();
        this.tenants.set(tenant.tenantId.toLowerCase(), tenant);
      }
      applyTenantState(tenant, s);
    }
    this.changed();
  }

  private build(input: CreateTenantInput): Tenant {
    const tenantId = input.tenantId ?? randomUUID();
    if (!TENANT_ID.test(tenantId) || RESERVED_TENANTS.includes(tenantId.toLowerCase())) {
      throw new EmulatorError(400, `Invalid tenant ID '${tenantId}': use a GUID or letters, digits, '.', '-', '_'`);
    }
    if (this.get(tenantId)) throw new EmulatorError(409, `Tenant ${tenantId} already exists`);
    const signing = input.signing ?? 'assertion';
    if (!SIGNING_MODES.includes(signing)) throw new EmulatorError(400, `Invalid signing mode '${signing}'`);
    const name = input.name?.trim() || `Tenant ${tenantId.slice(0, 8)}`;
    return new Tenant({ tenantId, name, signing, ...(input.appId ? { appId: input.appId } : {}) }, this.base, this.changed);
  }
}
