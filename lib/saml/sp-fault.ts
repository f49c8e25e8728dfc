/**
 * A failure on our side of a SAML exchange (the request-ID store, the strategy's wiring) that
 * surfaces through node-saml or passport. It is never a verdict on the message: the ACS treats
 * it as an internal error (see checks/node-saml-errors.ts), however node-saml reports it.
 */
export class SpFault extends Error {
  constructor(what: string, cause?: unknown) {
    super(cause instanceof Error ? `${what}: ${cause.message}` : what, cause === undefined ? undefined : { cause });
    this.name = 'SpFault';
  }
}
