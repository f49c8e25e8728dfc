// Every workflow the worker runs. Keep this file to re-exports only.
export { systemCheck } from './system-check';
export { tenantOnboarding } from './tenant-onboarding';
export { deleteUser } from './user-deletion';
