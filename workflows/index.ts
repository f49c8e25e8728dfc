// Every workflow the worker runs. Keep this file to re-exports only.
export { systemCheck } from './system-check';
export { deleteUser } from './user-deletion';
