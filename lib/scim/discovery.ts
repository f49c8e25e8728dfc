/**
 * The discovery endpoints (RFC 7644 §4): what this service provider supports, its resource
 * types and their schemas. The schemas are the ones requests are validated against.
 */
import { listResponse, MAX_RESULTS } from './listing';
import { GROUP_TYPE, SCHEMAS, USER_TYPE, type ResourceType, type SchemaDef } from './schema';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0';

export function serviceProviderConfig(base: string) {
  return {
    schemas: [`${CORE}:ServiceProviderConfig`],
    documentationUri: `${base.replace(/\/scim\/v2\/.*$/, '')}/`,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer secret',
        description: 'A per-tenancy secret issued by Entrada staff (shown once, rotatable with overlap); Entra\'s "Secret Token" field.',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}

const resourceType = (base: string, t: ResourceType) => ({
  schemas: [`${CORE}:ResourceType`],
  id: t.name,
  name: t.name,
  endpoint: t.endpoint,
  schema: t.schema,
  schemaExtensions: t.extensions.map((schema) => ({ schema, required: false })),
  meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${t.name}` },
});

const schema = (base: string, s: SchemaDef) => ({
  schemas: [`${CORE}:Schema`],
  ...s,
  meta: { resourceType: 'Schema', location: `${base}/Schemas/${s.id}` },
});

export const resourceTypes = (base: string) =>
  listResponse(
    [USER_TYPE, GROUP_TYPE].map((t) => resourceType(base, t)),
    2,
    1,
  );
export const resourceTypeById = (base: string, id: string) =>
  [USER_TYPE, GROUP_TYPE].filter((t) => t.name.toLowerCase() === id.toLowerCase()).map((t) => resourceType(base, t))[0];
export const schemas = (base: string) =>
  listResponse(
    SCHEMAS.map((s) => schema(base, s)),
    SCHEMAS.length,
    1,
  );
export const schemaOf = (base: string, id: string) =>
  SCHEMAS.filter((s) => s.id.toLowerCase() === id.toLowerCase()).map((s) => schema(base, s))[0];
