/**
 * The staff console's start-onboarding form with its identity-provider selector: an Okta or a
 * generic SAML onboarding started from the form gets the connection the JSON API would give it,
 * and a refusal names the field and keeps the chosen kind on the re-rendered form.
 */
import { expect, test } from 'vitest';
import { useStack } from '../support/stack';
import { waitForStage } from './support';

const stack = useStack({ workers: true, staff: { email: 'sam@entrada.test', displayName: 'Sam Staff' } });

const common = { orgName: 'Initech', adminEmails: 'it@initech.example', proposedDomains: 'initech.example' };

async function submit(fields: Record<string, string>) {
  const form = await stack.staff.get('/staff/tenants/new');
  const page = await form.text();
  expect(page).toContain('<select id="kind" name="kind">');
  return stack.staff.postForm('/staff/tenants', fields, { redirect: 'manual' });
}

async function startedConnection(res: Response) {
  expect(res.status, await res.clone().text()).toBe(303);
  const location = res.headers.get('location') ?? '';
  const tid = /^\/staff\/tenants\/([0-9a-f-]{36})\?done=start-metadata$/.exec(location)?.[1];
  expect(tid, location).toBeTruthy();
  // Not Entra's "consent link is on its way": the next step is the metadata exchange.
  expect(await (await stack.staff.get(location)).text()).toContain('import their IdP&#39;s metadata');
  const state = await waitForStage(stack.staff, tid!, 'configuring');
  return state.input.connection;
}

test('a generic SAML onboarding from the form carries the signing, NameID and attribute choices', async () => {
  const connection = await startedConnection(
    await submit({
      ...common,
      kind: 'saml',
      signing: 'both',
      nameIdFormat: 'persistent',
      subjectAttribute: '',
      emailAttribute: 'urn:oid:0.9.2342.19200300.100.1.3',
      givenNameAttribute: 'urn:oid:2.5.4.42',
      familyNameAttribute: '',
      groupsAttribute: 'memberOf',
    }),
  );
  expect(connection).toMatchObject({
    kind: 'saml',
    signing: 'both',
    nameIdFormat: 'persistent',
    claims: {
      subject: { from: 'nameid' },
      email: ['urn:oid:0.9.2342.19200300.100.1.3'],
      givenName: 'urn:oid:2.5.4.42',
      groups: 'memberOf',
    },
  });
  expect(connection?.claims.familyName).toBeUndefined();
});

test('an Okta onboarding from the form gets the Okta preset with the chosen NameID format', async () => {
  const connection = await startedConnection(await submit({ ...common, orgName: 'Acme', kind: 'okta', oktaNameId: 'persistent' }));
  expect(connection).toMatchObject({ kind: 'okta', signing: 'both', nameIdFormat: 'persistent' });
});

test('a generic SAML form without an email attribute is refused with the field named, and stays on that kind', async () => {
  const res = await submit({ ...common, kind: 'saml', signing: 'assertion', nameIdFormat: 'persistent', emailAttribute: '' });
  expect(res.status).toBe(400);
  const page = await res.text();
  expect(page).toContain('connection.claims.email');
  expect(page).toMatch(/<option value="saml" selected>/);
  expect(page).toMatch(/<fieldset[^>]*data-kind="saml">/);
  expect(page).toMatch(/<fieldset[^>]*data-kind="entra" disabled hidden>/);
});
