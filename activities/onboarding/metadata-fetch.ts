/**
 * Fetches a tenant's federation metadata from the configured Entra login host, and from
 * nowhere else (SSRF): the URL is built from ENTRA_LOGIN_BASE_URL and two GUIDs, redirects
 * are refused, the wait is bounded and so is the size.
 */
import type { Config } from '../../lib/config';
import { FailureType } from '../../lib/contracts/failures';
import { Refusal } from '../../lib/contracts/refusal';
import { badRequest } from '../../lib/errors';
import { appIdProblem, MAX_METADATA_BYTES, tenantIdProblem } from '../../lib/contracts/onboarding-input';

export function federationMetadataUrl(config: Pick<Config, 'ENTRA_LOGIN_BASE_URL'>, tenantId: string, appId?: string): string {
  const problem = tenantIdProblem(tenantId) ?? appIdProblem(appId);
  if (problem) throw badRequest(problem);
  const url = new URL(`${config.ENTRA_LOGIN_BASE_URL}/${tenantId}/federationmetadata/2007-06/federationmetadata.xml`);
  if (appId) url.searchParams.set('appid', appId);
  return url.toString();
}

export async function fetchFederationMetadata(config: Config, tenantId: string, appId?: string): Promise<string> {
  const url = federationMetadataUrl(config, tenantId, appId);
  const res = await fetch(url, {
    redirect: 'manual',
    signal: AbortSignal.timeout(config.METADATA_FETCH_TIMEOUT),
    headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' },
  }).catch((err: unknown) => {
    // A host that does not answer is worth a retry, and the message should say which host.
    if ((err as Error).name === 'TimeoutError') throw new Error(`${url} did not answer within ${config.METADATA_FETCH_TIMEOUT} ms`);
    throw err;
  });
  if (res.status >= 300 && res.status < 400) {
    throw new Refusal(
      FailureType.MetadataInvalid,
      `${url} redirected to ${res.headers.get('location')}; metadata is only fetched from ${config.ENTRA_LOGIN_BASE_URL}`,
    );
  }
  if (res.status >= 400 && res.status < 500) {
    throw new Refusal(FailureType.MetadataInvalid, `${url} answered ${res.status}: check the tenant ID (and app ID)`);
  }
  if (!res.ok || !res.body) throw new Error(`${url} answered ${res.status}`); // 5xx: worth a retry
  return readLimited(res, url);
}

async function readLimited(res: Response, url: string): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  const tooLarge = () => new Refusal(FailureType.MetadataInvalid, `${url} sent more than ${MAX_METADATA_BYTES} bytes`);
  if (declared > MAX_METADATA_BYTES) {
    await res.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_METADATA_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  // TextDecoder drops a UTF-8 BOM, which Entra sends.
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}
