// Every workflow the worker runs. Keep this file to re-exports only.
export { systemCheck } from './system-check';
export { tenantOnboarding } from './tenant-onboarding';
export { migrateUser } from './user-migration';
export { migrationSweeper } from './migration-sweeper';
export { expirySweeper } from './expiry-sweeper';
export { deleteUser } from './user-deletion';
export { deprovisionUser } from './deprovisioning';
export { reconcileProvisioning } from './provisioning-reconciliation';
export { auditStream } from './audit-stream';
export { ssoConnection } from './sso-connection';
export { domainProof } from './domain-proof';
