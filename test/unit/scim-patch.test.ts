import { describe, expect, it } from 'vitest';
import { ScimError } from '../../lib/scim/errors';
import { applyPatch, parsePatchRequest, PATCH_SCHEMA } from '../../lib/scim/patch';
import { resourceFromBody } from '../../lib/scim/resource';
import { ENTERPRISE_SCHEMA, GROUP_TYPE, USER_SCHEMA, USER_TYPE } from '../../lib/scim/schema';

/** Entra's create body (as its provisioning service sends it, with the enterprise extension). */
const created = resourceFromBody(USER_TYPE, {
  schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA],
  externalId: '6b1c9d3e-0000-4000-8000-000000000001',
  UserName: 'alice@contoso.example',
  active: 'True',
  emails: [{ primary: true, type: 'work', value: 'alice@contoso.example' }],
  meta: { resourceType: 'User' },
  name: { formatted: 'Alice Liddell', familyName: 'Liddell', givenName: 'Alice' },
  roles: [],
  [ENTERPRISE_SCHEMA]: { Department: 'Finance', manager: { value: 'boss-id' } },
});
const patch = (doc: Record<string, unknown>, ...Operations: unknown[]) =>
  applyPatch(USER_TYPE, doc, parsePatchRequest({ schemas: [PATCH_SCHEMA], Operations }));

describe("SCIM resources and PATCH in Entra's dialect", () => {
  it('makes a create body canonical: names as in the schema, "True" a boolean, empty lists dropped, meta ignored', () => {
    expect(created).toEqual({
      externalId: '6b1c9d3e-0000-4000-8000-000000000001',
      userName: 'alice@contoso.example',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'alice@contoso.example' }],
      name: { formatted: 'Alice Liddell', familyName: 'Liddell', givenName: 'Alice' },
      [ENTERPRISE_SCHEMA]: { department: 'Finance', manager: { value: 'boss-id' } },
    });
  });

  it('applies op in any case, active as the string "False", and a value path that updates the work email', () => {
    const doc = patch(
      created,
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'alice.l@contoso.example' },
      { op: 'replace', path: 'active', value: 'False' },
      { op: 'Add', path: 'name.familyName', value: 'Hargreaves' },
      { op: 'Replace', path: `${ENTERPRISE_SCHEMA}:manager`, value: 'new-boss' },
    );
    expect(doc.emails).toEqual([{ primary: true, type: 'work', value: 'alice.l@contoso.example' }]);
    expect(doc.active).toBe(false);
    expect(doc.name).toMatchObject({ givenName: 'Alice', familyName: 'Hargreaves' });
    expect(doc[ENTERPRISE_SCHEMA]).toEqual({ department: 'Finance', manager: { value: 'new-boss' } });
    expect(created.active).toBe(true); // the input is never changed
  });

  it('creates the work email when there is none, and removes it by its value path', () => {
    const noEmail = patch(created, { op: 'Remove', path: 'emails[type eq "work"]' });
    expect(noEmail.emails).toBeUndefined();
    const added = patch(noEmail, { op: 'Add', path: 'emails[type eq "work"].value', value: 'a@contoso.example' });
    expect(added.emails).toEqual([{ type: 'work', value: 'a@contoso.example' }]);
    expect(patch(added, { op: 'remove', path: 'emails[type eq "work"].value' }).emails).toBeUndefined();
  });

  it('takes add/replace without a path as an object of paths, including extension attributes', () => {
    const doc = patch(created, {
      op: 'replace',
      value: {
        displayName: 'Alice L.',
        'name.givenName': 'Alicia',
        [`${ENTERPRISE_SCHEMA}:department`]: 'Legal',
        [ENTERPRISE_SCHEMA]: { costCenter: '42' },
      },
    });
    expect(doc).toMatchObject({
      displayName: 'Alice L.',
      name: { givenName: 'Alicia' },
      [ENTERPRISE_SCHEMA]: { department: 'Legal', costCenter: '42' },
    });
  });

  it('adds and removes group members by value lists (as Entra sends them), idempotently', () => {
    const group = resourceFromBody(GROUP_TYPE, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Finance',
      externalId: 'g-1',
    });
    const ops = (Operations: unknown[]) => parsePatchRequest({ schemas: [PATCH_SCHEMA], Operations });
    let doc = applyPatch(GROUP_TYPE, group, ops([{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'u1' }, { value: 'u2' }] }]));
    doc = applyPatch(GROUP_TYPE, doc, ops([{ op: 'Add', path: 'members', value: [{ value: 'u2' }, { value: 'u3' }] }]));
    expect(doc.members).toEqual([{ value: 'u1' }, { value: 'u2' }, { value: 'u3' }]);
    doc = applyPatch(
      GROUP_TYPE,
      doc,
      ops([
        { op: 'Remove', path: 'members', value: [{ value: 'u1' }, { value: 'gone' }] },
        { op: 'remove', path: 'members[value eq "u3"]' },
      ]),
    );
    expect(doc.members).toEqual([{ value: 'u2' }]);
    expect(applyPatch(GROUP_TYPE, doc, ops([{ op: 'remove', path: 'members[value eq "u3"]' }])).members).toEqual([{ value: 'u2' }]);
  });

  it.each([
    [{ op: 'replace', path: 'emails[type eq "work"' }, 'invalidPath', '"emails[type eq "work"" has no closing "]"'],
    [
      { op: 'replace', path: 'emails[type equals "work"].value' },
      'invalidPath',
      'the filter in "emails[type equals "work"].value" is malformed: expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "type" at position 13',
    ],
    [{ op: 'replace', path: 'emails[kind eq "work"].value' }, 'invalidPath', '"kind" is not a sub-attribute of emails'],
    [
      { op: 'replace', path: 'favouriteColour', value: 'red' },
      'invalidPath',
      '"favouriteColour" is not an attribute of User (known: see /Schemas)',
    ],
    [{ op: 'replace', path: 'name[givenName eq "a"]' }, 'invalidPath', '"name" is not multi-valued: it cannot be filtered with [...]'],
    [
      { op: 'replace', path: 'emails[type eq "work"].colour' },
      'invalidPath',
      'unexpected ".colour" after "]" in "emails[type eq "work"].colour"',
    ],
    [{ op: 'replace', path: 'active', value: 'maybe' }, 'invalidValue', 'Operations[1] active: expected true or false, got "maybe"'],
    [{ op: 'remove' }, 'noTarget', 'Operations[1]: remove needs a path'],
    [{ op: 'delete', path: 'active' }, 'invalidSyntax', 'Operations[1].op must be add, replace or remove, got "delete"'],
    [{ op: 'replace', path: 'id', value: 'x' }, 'mutability', 'Operations[1]: "id" is read-only'],
    [{ op: 'remove', path: 'userName' }, 'invalidValue', '"userName" is required'],
  ])('refuses %j (%s) and changes nothing', (bad, scimType, message) => {
    const before = structuredClone(created);
    let error: unknown;
    try {
      patch(created, { op: 'replace', path: 'displayName', value: 'changed first' }, bad);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toMatchObject({ status: 400, scimType, message });
    expect(created).toEqual(before);
  });
});
