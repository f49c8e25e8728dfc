/**
 * Minimal self-signed X.509 v3 certificate builder (DER by hand, signed with node:crypto).
 *
 * Why not a dependency: Node can generate RSA keys and export SubjectPublicKeyInfo, but has no
 * API to *issue* a certificate. A self-signed cert is only ~10 ASN.1 structures, so building
 * them here avoids node-forge (slow pure-JS RSA) and keeps the emulator dependency-free.
 * The shape mirrors Entra's token-signing certs: v3, 8-byte serial, sha256WithRSAEncryption,
 * subject = issuer = a single CN, one Subject Key Identifier extension.
 */
import { createHash, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const seq = (...c: Buffer[]) => tlv(0x30, ...c);

function derInteger(value: Buffer): Buffer {
  let i = 0;
  while (i < value.length - 1 && value[i] === 0) i++;
  let v = value.subarray(i);
  // A set high bit would make the INTEGER negative; DER requires a leading zero byte then.
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return tlv(0x02, v);
}

function derOid(oid: string): Buffer {
  const parts = oid.split('.').map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [];
    let v = part;
    do {
      chunk.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let k = 0; k < chunk.length - 1; k++) chunk[k]! |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** RFC 5280: UTCTime up to 2049, GeneralizedTime from 2050. Seconds precision, always Z. */
function derTime(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}

function derCommonName(cn: string): Buffer {
  // Entra's certs use PrintableString; fall back to UTF8String for anything it cannot hold.
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(cn);
  const value = printable ? tlv(0x13, Buffer.from(cn, 'ascii')) : tlv(0x0c, Buffer.from(cn, 'utf8'));
  return seq(tlv(0x31, seq(derOid('2.5.4.3'), value)));
}

const SHA256_WITH_RSA = seq(derOid('1.2.840.113549.1.1.11'), tlv(0x05));

export interface SelfSignedInput {
  privateKey: KeyObject;
  publicKey: KeyObject;
  commonName: string;
  notBefore: Date;
  notAfter: Date;
}

/** Returns the certificate as PEM. Throws if the result does not verify (a bug guard, cheap). */
export function createSelfSignedCertificate(input: SelfSignedInput): string {
  const spki = input.publicKey.export({ type: 'spki', format: 'der' });
  const name = derCommonName(input.commonName);
  const serial = randomBytes(8);
  serial[0]! &= 0x7f; // keep it positive without a padding byte, like Entra's 8-byte serials
  const ski = createHash('sha1').update(spki).digest();
  const extensions = tlv(0xa3, seq(seq(derOid('2.5.29.14'), tlv(0x04, tlv(0x04, ski)))));
  const tbs = seq(
    tlv(0xa0, derInteger(Buffer.from([2]))), // version v3
    derInteger(serial),
    SHA256_WITH_RSA,
    name,
    seq(derTime(input.notBefore), derTime(input.notAfter)),
    name,
    spki,
    extensions,
  );
  const signature = sign('sha256', tbs, input.privateKey);
  const der = seq(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.from([0]), signature));
  if (!new X509Certificate(der).verify(input.publicKey)) throw new Error('self-signed certificate does not verify');
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`;
}
