/**
 * Serialised emulator state: what ENTRA_EMULATOR_STATE persists so that a dev restart keeps
 * tenant IDs, object IDs and certificates (hence the SP's imported metadata) stable.
 * Private keys are included on purpose: they are test keys of a fake IdP.
 * The schema also validates seed files (ENTRA_EMULATOR_SEED), where most fields are optional.
 */
import { z } from 'zod';
import { restoreSigningCertificate } from './certificates';
import { Tenant } from './tenants';

const signing = z.enum(['assertion', 'response', 'both']);

export const userSchema = z.object({
  email: z.string().min(3).max(320),
  objectId: z.string().min(1).max(100).optional(),
  displayName: z.string().min(1).max(256).optional(),
  givenName: z.string().max(256).optional(),
  surname: z.string().max(256).optional(),
  groups: z.array(z.string().min(1).max(200)).max(5000).optional(),
  mfa: z.boolean().optional(),
  roles: z.array(z.string().min(1).max(200)).max(100).optional(),
});

const applicationSchema = z.object({
  entityId: z.string().min(1).max(2048),
  replyUrl: z.string().max(2048).optional(),
  logoutUrl: z.string().max(2048).optional(),
  relayState: z.string().max(2048).optional(),
});

const tenantSchema = z.object({
  tenantId: z.string().optional(),
  name: z.string().optional(),
  signing: signing.optional(),
  appId: z.string().optional(),
  users: z.array(userSchema).default([]),
  applications: z.array(applicationSchema).default([]),
  certificates: z.array(z.object({ certPem: z.string(), privateKeyPem: z.string(), active: z.boolean() })).optional(),
  consents: z.array(z.object({ clientId: z.string(), at: z.string() })).default([]),
});

export const emulatorStateSchema = z.object({ tenants: z.array(tenantSchema).default([]) });
export type EmulatorState = z.input<typeof emulatorStateSchema>;
type TenantState = z.output<typeof tenantSchema>;

export function tenantToState(t: Tenant): TenantState {
  return {
    tenantId: t.tenantId,
    name: t.name,
    signing: t.signing,
    ...(t.appId ? { appId: t.appId } : {}),
    users: t.users().map((u) => ({ ...u, groups: [...u.groups] })),
    applications: t.applications(),
    certificates: t.certificateRecords().map((c) => ({ certPem: c.certPem, privateKeyPem: c.privateKeyPem, active: c.active })),
    consents: t.consentRecords().map((c) => ({ clientId: c.clientId, at: c.at.toISOString() })),
  };
}

/** Fills a freshly created tenant from saved/seeded state. Users already present are kept. */
export function applyTenantState(t: Tenant, s: TenantState): void {
  if (s.certificates?.length) t.restoreCertificates(s.certificates.map(restoreSigningCertificate));
  for (const u of s.users) if (!t.findUser(u.email)) t.addUser(u);
  for (const a of s.applications) t.registerApplication(a);
  for (const c of s.consents) t.recordConsent(c.clientId, new Date(c.at));
}

export function parseEmulatorState(input: unknown): z.output<typeof emulatorStateSchema> {
  const parsed = emulatorStateSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid Entra emulator state: ${issues}`);
  }
  return parsed.data;
}
