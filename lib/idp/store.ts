import { TenantModel } from '../models';
import { notFound } from '../errors';
import { readCertificate } from '../saml/federation-metadata';
import type { ConnectionSettings } from './settings';

/**
 * Writes a tenancy's connection settings (already validated: lib/idp/settings.ts). The IdP's
 * entity ID, URLs, certificates and signing go where sign-in has always read them (`saml`);
 * kind, binding, NameID format and claim mapping into `connection`. What they replace is kept
 * whole in `connection.previous`, so a bad change can be rolled back by saving that again.
 * configVersion is bumped so every process's cached settings are read again.
 */
export async function saveConnection(
  tenantId: string,
  settings: ConnectionSettings,
  opts: { metadataUrl?: string; now?: Date } = {},
): Promise<void> {
  const now = opts.now ?? new Date();
  const tid = tenantId.toLowerCase();
  const before = await TenantModel.findOne({ tenantId: tid }, { saml: 1, connection: 1 }).lean();
  if (!before) throw notFound(`No tenancy ${tid}`);
  const previous = before.connection ? storedSettings(before) : undefined;
  await TenantModel.updateOne(
    { tenantId: tid },
    {
      $set: {
        'saml.idpEntityId': settings.idpEntityId,
        'saml.ssoUrl': settings.ssoUrl,
        'saml.sloUrl': settings.sloUrl,
        'saml.certificates': settings.certificates.map((pem) => {
          const { thumbprint, notBefore, notAfter } = readCertificate(pem);
          return { pem, thumbprint, notBefore, notAfter };
        }),
        'saml.signing': settings.signing,
        'saml.configuredAt': now,
        connection: {
          kind: settings.kind,
          ssoBinding: settings.ssoBinding,
          nameIdFormat: settings.nameIdFormat,
          claims: settings.claims,
          ...(opts.metadataUrl ? { metadataUrl: opts.metadataUrl } : {}),
          ...(previous ? { previous } : {}),
          changedAt: now,
        },
      },
      ...(settings.sloUrl ? {} : { $unset: { 'saml.sloUrl': 1 } }),
      $inc: { configVersion: 1 },
    },
  );
}

type Stored = NonNullable<Awaited<ReturnType<typeof TenantModel.findOne>>>;

/** A tenancy's current settings as saved (what `previous` keeps). */
export function storedSettings(tenant: Pick<Stored, 'saml' | 'connection'>): Partial<ConnectionSettings> {
  const { saml, connection } = tenant;
  return {
    ...(connection
      ? { kind: connection.kind, ssoBinding: connection.ssoBinding, nameIdFormat: connection.nameIdFormat, claims: connection.claims }
      : {}),
    ...(saml?.idpEntityId ? { idpEntityId: saml.idpEntityId } : {}),
    ...(saml?.ssoUrl ? { ssoUrl: saml.ssoUrl } : {}),
    ...(saml?.sloUrl ? { sloUrl: saml.sloUrl } : {}),
    certificates: (saml?.certificates ?? []).map((c) => c.pem),
    ...(saml?.signing ? { signing: saml.signing } : {}),
  };
}
