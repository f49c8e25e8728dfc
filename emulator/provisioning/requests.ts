/**
 * SCIM request bodies in the shape Entra's provisioning service sends them (Microsoft's
 * "Develop and plan provisioning for a SCIM endpoint" request samples), with its default
 * attribute mappings except objectId → externalId (which Entrada requires).
 *
 * Dialect: `legacy` is what the service sent for years and still sends to many apps: ops
 * capitalised ("Replace", "Add", "Remove") and `active` as the strings "True"/"False";
 * `compliant` is the behaviour behind the aadOptscim062020 flag (lower-case ops, booleans).
 */
import type { DirectoryGroup, DirectoryUser } from './directory';

export type Dialect = 'legacy' | 'compliant';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The attributes Entra maps for a user, flattened: what a cycle compares to decide on a PATCH. */
export interface MappedUser {
  userName: string;
  'emails[type eq "work"].value'?: string;
  'name.givenName'?: string;
  'name.familyName'?: string;
  displayName?: string;
  title?: string;
  [key: `${typeof ENTERPRISE}:${string}`]: string | undefined;
  active: boolean;
}

export function mapUser(u: DirectoryUser, managerScimId?: string): MappedUser {
  return {
    userName: u.userPrincipalName,
    'emails[type eq "work"].value': u.mail,
    'name.givenName': u.givenName,
    'name.familyName': u.surname,
    displayName: u.displayName,
    title: u.jobTitle,
    [`${ENTERPRISE}:department`]: u.department,
    [`${ENTERPRISE}:manager`]: managerScimId,
    active: u.accountEnabled && u.assigned && !u.deleted,
  };
}

export function createUserBody(u: DirectoryUser, mapped: MappedUser) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    externalId: u.objectId,
    userName: mapped.userName,
    active: mapped.active,
    ...(mapped.displayName ? { displayName: mapped.displayName } : {}),
    ...(mapped.title ? { title: mapped.title } : {}),
    emails: mapped['emails[type eq "work"].value'] ? [{ primary: true, type: 'work', value: mapped['emails[type eq "work"].value'] }] : [],
    meta: { resourceType: 'User' },
    name: { formatted: `${u.givenName ?? ''} ${u.surname ?? ''}`.trim(), familyName: u.surname, givenName: u.givenName },
    [ENTERPRISE]: {
      department: u.department,
      ...(mapped[`${ENTERPRISE}:manager`] ? { manager: { value: mapped[`${ENTERPRISE}:manager`] } } : {}),
    },
    roles: [],
  };
}

const op = (dialect: Dialect, name: 'Replace' | 'Add' | 'Remove') => (dialect === 'legacy' ? name : name.toLowerCase());

/** The operations for what changed between two mappings (none: nothing is sent). */
export function userPatchOps(before: MappedUser, after: MappedUser, dialect: Dialect) {
  const ops: { op: string; path: string; value?: unknown }[] = [];
  for (const key of Object.keys(after) as (keyof MappedUser)[]) {
    if (before[key] === after[key]) continue;
    if (key === 'active')
      ops.push({
        op: op(dialect, 'Replace'),
        path: 'active',
        value: dialect === 'legacy' ? (after.active ? 'True' : 'False') : after.active,
      });
    else if (after[key] === undefined) ops.push({ op: op(dialect, 'Remove'), path: key });
    else ops.push({ op: op(dialect, key.endsWith(':manager') ? 'Add' : 'Replace'), path: key, value: after[key] });
  }
  return ops;
}

export const patchBody = (Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

export function createGroupBody(g: DirectoryGroup) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group'],
    externalId: g.objectId,
    displayName: g.displayName,
    meta: { resourceType: 'Group' },
  };
}

export const memberOps = (dialect: Dialect, kind: 'Add' | 'Remove', scimIds: string[]) => [
  { op: op(dialect, kind), path: 'members', value: scimIds.map((value) => ({ $ref: null, value })) },
];

type Doc = Record<string, unknown>;

/** What a found resource maps back to, so a user Entra matched (not created) gets only the differences. */
export function mappedFromResource(r: Doc): MappedUser {
  const emails = (r.emails as Doc[] | undefined) ?? [];
  const name = (r.name as Doc | undefined) ?? {};
  const ext = (r[ENTERPRISE] as Doc | undefined) ?? {};
  return {
    userName: String(r.userName),
    'emails[type eq "work"].value': emails.find((e) => e.type === 'work')?.value as string | undefined,
    'name.givenName': name.givenName as string | undefined,
    'name.familyName': name.familyName as string | undefined,
    displayName: r.displayName as string | undefined,
    title: r.title as string | undefined,
    [`${ENTERPRISE}:department`]: ext.department as string | undefined,
    [`${ENTERPRISE}:manager`]: (ext.manager as Doc | undefined)?.value as string | undefined,
    active: r.active !== false,
  };
}
