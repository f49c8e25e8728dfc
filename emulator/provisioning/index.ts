/**
 * Entra's provisioning client, emulated (dev, tests and `npm run bench:scim`): a directory
 * model and a service that runs provisioning cycles against a SCIM endpoint, with Entra's
 * request sequences and dialect. See service.ts for the sequences, requests.ts for the shapes.
 *
 *   const directory = new ProvisioningDirectory();
 *   const alice = directory.addUser({ userPrincipalName: 'alice@contoso.com', department: 'Finance' });
 *   const entra = new EntraProvisioningService(directory, { scimUrl, token });
 *   await entra.runCycle();                 // initial: filter look-ups, then creates
 *   directory.disable(alice.objectId);
 *   await entra.runCycle();                 // incremental: PATCH active "False"
 */
export { ProvisioningDirectory, type DirectoryGroup, type DirectoryUser, type NewDirectoryUser } from './directory';
export { EntraProvisioningService, type CycleReport, type SentRequest, type ServiceOptions } from './service';
export type { Dialect } from './requests';
