/**
 * The staff console's start-onboarding form posts flat fields; the JSON API takes `kind` and, for
 * the generic kind, a nested `connection`. This turns the one into the other, so both go through
 * the same validation (parseStartInput) and name the same fields when they refuse.
 */
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const optional = (value: unknown) => text(value) || undefined;

export function startBodyFromForm(form: Record<string, unknown>): Record<string, unknown> {
  const kind = text(form.kind) || 'entra';
  const common = { kind, orgName: form.orgName, adminEmails: form.adminEmails, proposedDomains: form.proposedDomains };
  if (kind === 'entra') return { ...common, tenantId: form.tenantId, appId: form.appId };
  if (kind === 'okta') return { ...common, nameId: text(form.oktaNameId) };
  const subjectAttribute = text(form.subjectAttribute);
  return {
    ...common,
    connection: {
      signing: text(form.signing),
      nameIdFormat: text(form.nameIdFormat),
      claims: {
        subject: subjectAttribute ? { from: 'attribute', attribute: subjectAttribute } : { from: 'nameid' },
        subjectCase: 'exact',
        email: text(form.emailAttribute) ? [text(form.emailAttribute)] : [],
        givenName: optional(form.givenNameAttribute),
        familyName: optional(form.familyNameAttribute),
        groups: optional(form.groupsAttribute),
      },
    },
  };
}
