/**
 * Fetches an IdP's metadata from a URL the customer gave (Okta's "Identity Provider metadata"
 * link, ADFS's FederationMetadata.xml). The URL is theirs, so this is the SSRF boundary: in
 * production only https, and every address the host name resolves to is checked at connect
 * time (so a DNS answer cannot be swapped between a check and the connection) and refused when
 * it is loopback, private, link-local or otherwise not a public address. No redirects; the wait
 * and the size are bounded. Outside production local addresses are allowed (the emulators).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { FailureType } from '../contracts/failures';
import { MAX_METADATA_BYTES } from '../contracts/onboarding-input';
import { Refusal } from '../contracts/refusal';

const TIMEOUT_MS = 10_000;
const refused = (message: string) => new Refusal(FailureType.MetadataInvalid, message);

/** Not reachable from the internet, or ours: loopback, RFC 1918, CGNAT, link-local, ULA, multicast, unspecified. */
export function isNonPublicAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) {
    const [a, b] = v4.split('.').map(Number) as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      a >= 224 ||
      (a === 100 && b >= 64 && b < 128) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && b === 168)
    );
  }
  const v6 = address.toLowerCase();
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('ff');
}

export async function fetchIdpMetadata(rawUrl: string, opts: { production: boolean }): Promise<string> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw refused(`the metadata URL is not a URL: "${rawUrl}"`);
  }
  if (url.protocol !== 'https:' && (opts.production || url.protocol !== 'http:'))
    throw refused(`the metadata URL must use https, got ${url.protocol}`);
  const lookup: LookupFunction = (host, options, done) =>
    dnsLookup(host, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return done(err, '', 0);
      const bad = opts.production ? addresses.find((a) => isNonPublicAddress(a.address)) : undefined;
      if (bad) return done(refused(`${host} resolves to ${bad.address}, which is not a public address`), '', 0);
      if (options.all) return done(null, addresses);
      done(null, addresses[0]!.address, addresses[0]!.family);
    });
  if (opts.production && isIP(url.hostname.replace(/^\[|\]$/g, '')) && isNonPublicAddress(url.hostname.replace(/^\[|\]$/g, '')))
    throw refused(`${url.hostname} is not a public address`);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<string>((resolve, reject) => {
    const req = request(
      url,
      { lookup, timeout: TIMEOUT_MS, headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' } },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          res.resume();
          return reject(
            status >= 500
              ? new Error(`${url.href} answered ${status}`)
              : refused(`${url.href} answered ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`),
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > MAX_METADATA_BYTES) {
            req.destroy();
            reject(refused(`${url.href} sent more than ${MAX_METADATA_BYTES} bytes`));
          } else chunks.push(chunk);
        });
        res.on('end', () => resolve(new TextDecoder('utf-8').decode(Buffer.concat(chunks))));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url.href} did not answer within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}
