/**
 * The SCIM schemas Entrada accepts (RFC 7643): the core User with the enterprise extension,
 * and the core Group. They drive input normalisation, PATCH paths and filters, and are served
 * as-is from /Schemas, so what we advertise is exactly what we accept. Attribute names are
 * case-insensitive (RFC 7643 §2.1); `find` returns the canonical spelling.
 */
export type AttributeType = 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime' | 'integer';

export interface AttributeDef {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'default';
  uniqueness: 'none' | 'server';
  description: string;
  subAttributes?: AttributeDef[];
  referenceTypes?: string[];
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

type Options = Partial<Omit<AttributeDef, 'name' | 'type' | 'description'>>;
const attr = (name: string, type: AttributeType, description: string, o: Options = {}): AttributeDef => ({
  name,
  type,
  description,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...o,
});
const str = (name: string, description: string, o: Options = {}) => attr(name, 'string', description, o);
const multi = (name: string, description: string, subs: AttributeDef[]) =>
  attr(name, 'complex', description, { multiValued: true, subAttributes: subs });
/** value/display/type/primary: the shape of emails, phone numbers, roles... */
const plural = (name: string, description: string) =>
  multi(name, description, [
    str('value', `The ${name} value`),
    str('display', 'A human-readable name'),
    str('type', 'A label such as "work"'),
    attr('primary', 'boolean', 'The primary value'),
  ]);

const USER_ATTRIBUTES: AttributeDef[] = [
  str('userName', "Unique identifier, usually the user principal name; Entrada's uniqueness is per tenancy", {
    required: true,
    uniqueness: 'server',
  }),
  attr('name', 'complex', "The user's name", {
    subAttributes: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map((n) =>
      str(n, `The ${n} part of the name`),
    ),
  }),
  str('displayName', 'The name shown to other users'),
  str('nickName', 'A casual name'),
  attr('profileUrl', 'reference', 'A profile page', { referenceTypes: ['external'] }),
  str('title', 'Job title'),
  str('userType', 'Relationship to the organisation'),
  str('preferredLanguage', 'Preferred language'),
  str('locale', 'Locale'),
  str('timezone', 'Time zone'),
  attr('active', 'boolean', 'False suspends the account (sessions end, sign-in refused, data kept); true restores it'),
  plural('emails', 'Email addresses; the work (or primary) address is the Entrada account email'),
  plural('phoneNumbers', 'Phone numbers'),
  plural('ims', 'Instant messaging addresses'),
  plural('photos', 'Photo URLs'),
  multi('addresses', 'Physical addresses', [
    ...['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type'].map((n) => str(n, `The ${n} of the address`)),
    attr('primary', 'boolean', 'The primary address'),
  ]),
  plural('entitlements', 'Entitlements'),
  plural('roles', 'Roles'),
  plural('x509Certificates', 'Certificates'),
];

const ENTERPRISE_ATTRIBUTES: AttributeDef[] = [
  ...['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((n) => str(n, `The user's ${n}`)),
  attr('manager', 'complex', "The user's manager", {
    subAttributes: [
      str('value', "The manager's SCIM id"),
      attr('$ref', 'reference', "The manager's URI", { referenceTypes: ['User'] }),
      str('displayName', "The manager's name", { mutability: 'readOnly' }),
    ],
  }),
];

const GROUP_ATTRIBUTES: AttributeDef[] = [
  str('displayName', 'The group name', { required: true }),
  attr('members', 'complex', 'Members: users of this tenancy by SCIM id', {
    multiValued: true,
    subAttributes: [
      str('value', "The member's SCIM id", { mutability: 'immutable', caseExact: true }),
      attr('$ref', 'reference', "The member's URI", { referenceTypes: ['User'] }),
      str('display', "The member's name"),
      str('type', 'User'),
    ],
  }),
];

export const SCHEMAS: SchemaDef[] = [
  { id: USER_SCHEMA, name: 'User', description: 'User account', attributes: USER_ATTRIBUTES },
  { id: ENTERPRISE_SCHEMA, name: 'EnterpriseUser', description: 'Enterprise user', attributes: ENTERPRISE_ATTRIBUTES },
  { id: GROUP_SCHEMA, name: 'Group', description: 'Group', attributes: GROUP_ATTRIBUTES },
];

export interface ResourceType {
  name: 'User' | 'Group';
  endpoint: string;
  schema: string;
  extensions: string[];
}
export const USER_TYPE: ResourceType = { name: 'User', endpoint: '/Users', schema: USER_SCHEMA, extensions: [ENTERPRISE_SCHEMA] };
export const GROUP_TYPE: ResourceType = { name: 'Group', endpoint: '/Groups', schema: GROUP_SCHEMA, extensions: [] };

/** Attributes every resource has besides its schema's (RFC 7643 §3.1). */
export const COMMON_ATTRIBUTES: AttributeDef[] = [
  str('id', 'Assigned by Entrada', { mutability: 'readOnly', caseExact: true, returned: 'always', uniqueness: 'server' }),
  str('externalId', "The client's identifier: for Entra users and groups, the object ID", { caseExact: true }),
];

export const schemaById = (id: string) => SCHEMAS.find((s) => s.id.toLowerCase() === id.toLowerCase());

export const find = (defs: AttributeDef[] | undefined, name: string) => defs?.find((d) => d.name.toLowerCase() === name.toLowerCase());

/** The attribute a top-level name refers to in a resource type: (schema URN, definition). */
export function topLevel(type: ResourceType, uri: string | undefined, name: string): { schema: string; def: AttributeDef } | undefined {
  const schemas = uri ? [uri] : [type.schema];
  for (const id of schemas) {
    if (!uri) {
      const common = find(COMMON_ATTRIBUTES, name);
      if (common) return { schema: type.schema, def: common };
    }
    const schema = [type.schema, ...type.extensions].find((s) => s.toLowerCase() === id.toLowerCase());
    const def = schema ? find(schemaById(schema)?.attributes, name) : undefined;
    if (schema && def) return { schema, def };
  }
  return undefined;
}
