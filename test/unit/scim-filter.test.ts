import { describe, expect, it } from 'vitest';
import { resourceResolver } from '../../lib/scim/attribute-paths';
import { invalidFilter, ScimError } from '../../lib/scim/errors';
import { parseFilter } from '../../lib/scim/filter';
import { checkFilter, matches } from '../../lib/scim/match';
import { ENTERPRISE_SCHEMA, USER_TYPE } from '../../lib/scim/schema';

const resolve = resourceResolver(USER_TYPE, invalidFilter);
const alice = {
  userName: 'Alice@Contoso.example',
  externalId: '6b1c9d3e-0000-4000-8000-000000000001',
  active: true,
  emails: [
    { type: 'work', value: 'alice@contoso.example', primary: true },
    { type: 'home', value: 'alice@home.example' },
  ],
  name: { givenName: 'Alice', familyName: 'Liddell' },
  [ENTERPRISE_SCHEMA]: { department: 'Finance' },
};
const test = (source: string) => {
  const f = parseFilter(source);
  checkFilter(f, resolve, invalidFilter);
  return matches(f, alice, resolve, invalidFilter);
};

describe('SCIM filters', () => {
  it.each([
    ['userName eq "alice@contoso.example"', true], // userName is not case-exact
    ['USERNAME EQ "ALICE@CONTOSO.EXAMPLE"', true],
    ['externalId eq "6B1C9D3E-0000-4000-8000-000000000001"', false], // externalId is case-exact
    ['externalId eq "6b1c9d3e-0000-4000-8000-000000000001"', true],
    ['emails[type eq "work"]', true],
    ['emails[type eq "work" and value ew "@home.example"]', false],
    ['emails.value co "home"', true],
    ['name.familyName sw "Lid" and active eq true', true],
    ['not (active eq true) or title pr', false],
    ['title pr or name.givenName eq "alice"', true],
    [`${ENTERPRISE_SCHEMA}:department eq "finance"`, true],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "alice@contoso.example"', true],
    ['active eq false', false],
  ])('%s → %s', (source, expected) => {
    expect(test(source)).toBe(expected);
  });

  it.each([
    ['', 'the filter is empty'],
    ['userName eq', 'expected a value at the end of "userName eq"'],
    ['userName equals "x"', 'expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "userName" at position 10'],
    ['userName eq "alice', 'unterminated string starting at position 13'],
    ['userName eq alice', 'expected a value (a "quoted string", a number, true, false or null) at position 13, got alice'],
    ['(userName eq "a"', 'expected ")" at the end of "(userName eq "a""'],
    ['userName eq "a" and', 'expected an attribute name at the end of "userName eq "a" and"'],
    ['userName eq "a" extra', 'unexpected "extra" at position 17'],
    ['password eq "x"', '"password" is not an attribute of User (known: see /Schemas)'],
    ['name.nickname eq "x"', '"name.nickname": name has no sub-attribute "nickname"'],
    ['active gt true', '"active" is a boolean: only eq and ne apply'],
    ['emails eq "x" ; drop', 'unexpected ";" at position 15'],
    ['name[givenName eq "a"]', '"name[...]" needs a multi-valued complex attribute'],
  ])('refuses %j: %s', (source, message) => {
    let error: unknown;
    try {
      test(source);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ScimError);
    expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter', message });
  });
});
