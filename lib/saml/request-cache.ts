import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import { SamlRequestModel } from '../models';
import { SpFault } from './sp-fault';

/** How long an issued AuthnRequest may be answered (Entra sign-in incl. MFA fits easily). */
export const SAML_REQUEST_TTL_MS = 15 * 60 * 1000;

/**
 * node-saml's InResponseTo store, in MongoDB so every web process shares it, scoped to one
 * tenant: an ID issued for tenant A is unknown on tenant B's ACS.
 *
 * `getAsync` answers "did we issue this ID (and is it still fresh)?" and deliberately does not
 * consume; `removeAsync` is a no-op. Consumption is a unique claim in the ACS check chain
 * (`claimResponseOnce`), together with the assertion-replay claim, so a replayed response is
 * reported as a replay, a second response to the same request as a reused request ID, and two
 * racing posts can never both succeed. One instance serves one HTTP request (node-saml asks twice).
 * Its own failures (database, a malformed row) leave as SpFault, so that node-saml's caller
 * cannot mistake them for a verdict on the message.
 */
export class MongoRequestCache implements CacheProvider {
  private readonly seen = new Map<string, string | null>();

  constructor(
    private readonly tenantId: string,
    /** Binds the request this instance issues to a portal test sign-in. */
    private readonly testRunId?: string,
  ) {}

  saveAsync(key: string, value: string): Promise<CacheItem | null> {
    return ours('storing the request ID', async () => {
      const createdAt = new Date(value);
      await SamlRequestModel.create({
        requestId: key,
        tenantId: this.tenantId,
        createdAt,
        expiresAt: new Date(createdAt.getTime() + SAML_REQUEST_TTL_MS),
        ...(this.testRunId ? { testRunId: this.testRunId } : {}),
      });
      return { value, createdAt: createdAt.getTime() };
    });
  }

  getAsync(key: string): Promise<string | null> {
    return ours('reading the request ID', async () => {
      if (!this.seen.has(key)) {
        const row = await SamlRequestModel.findOne(
          { requestId: key, tenantId: this.tenantId, expiresAt: { $gt: new Date() } },
          { createdAt: 1 },
        ).lean();
        this.seen.set(key, row ? row.createdAt.toISOString() : null);
      }
      return this.seen.get(key) ?? null;
    });
  }

  async removeAsync(key: string | null): Promise<string | null> {
    return key;
  }
}

async function ours<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw new SpFault(`SAML request-ID store failed ${what}`, err);
  }
}
