import fs from 'node:fs';
import path from 'node:path';

/**
 * Real Microsoft Entra ID samples (federation metadata, signed assertions) live in the team's
 * shared folder beside the repository (`../shared/fixtures/entra`, as CI lays it out).
 * ENTRA_FIXTURES_DIR points elsewhere when the checkout is not beside it.
 */
export const ENTRA_FIXTURES = process.env.ENTRA_FIXTURES_DIR ?? path.resolve(__dirname, '../../../shared/fixtures/entra');

export function readEntraFixture(name: string): string {
  const file = path.join(ENTRA_FIXTURES, name);
  if (!fs.existsSync(file)) {
    throw new Error(`Entra fixture ${file} not found: check out the repository beside shared/ or set ENTRA_FIXTURES_DIR`);
  }
  return fs.readFileSync(file, 'utf8');
}

/** The base64 certificate of the real 2017 Azure AD assertion (expired since 2019). */
export const expiredEntraCertificate = () =>
  readEntraFixture('aad-assertion-2017-signed.xml').match(/<X509Certificate>([^<]+)<\/X509Certificate>/)![1];
