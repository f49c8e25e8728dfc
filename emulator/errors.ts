/**
 * One error type for the emulator. `status` drives the HTTP answer (JSON for /_admin, an
 * Entra-style error page for the protocol endpoints); `code` is the AADSTS code Entra would show,
 * when there is one, so SPs and tests see the same text they would see in production.
 */
export class EmulatorError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    readonly code?: string,
  ) {
    super(code ? `${code}: ${message}` : message);
    this.name = 'EmulatorError';
  }
}

export const tenantNotFound = (tenant: string) =>
  new EmulatorError(
    400,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    'AADSTS90002',
  );

export const userNotFoundInDirectory = (email: string, tenantId: string) =>
  new EmulatorError(400, `The user account ${email} does not exist in the ${tenantId} directory.`, 'AADSTS50034');

export const invalidSamlRequest = (detail: string) =>
  new EmulatorError(400, `The request is not a valid Saml2 protocol message. ${detail}`, 'AADSTS75005');
