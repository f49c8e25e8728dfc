import { SsoDomainModel, SsoIdentityModel, TenantModel, UserModel } from '../../lib/models';
import { insertChunked, seedId } from '../../scripts/lib/bulk-seed';

/**
 * The admin portal benchmark's organisation: one live tenancy of `PORTAL_USERS` users in a
 * realistic mix (SSO, migrated, migrating, standard accounts in its nominated domain), plus
 * other tenancies' users and standard accounts elsewhere, with emails built from first names
 * whose frequencies are skewed as real ones are (many emails share a first letter or a first
 * name). Deterministic `_id`s and chunked bulk inserts (bulk-seed.ts): a re-run adds only what
 * is missing. Documents are in the app's shapes as they were before any list-specific fields,
 * so whatever the app derives from them is derived by the app itself.
 */
export const PORTAL_TENANT = '7e0a0000-0000-4000-8000-000000000100';
export const PORTAL_DOMAIN = 'contoso.portal.test';
export const PORTAL_USERS = 100_000;
const OTHER_TENANTS = 10;
const OTHER_USERS = 30_000;
const ELSEWHERE = 10_000;
const EPOCH = new Date('2025-01-01T00:00:00Z');
const SPACE = { tenancy: 20, others: 21, elsewhere: 22 } as const;

// Ranked by frequency; weight 1/sqrt(rank) puts ~3% of people on the commonest first name, as in real directories.
const FIRST = (
  'james john robert michael maria mary david william richard joseph thomas charles christopher daniel matthew ' +
  'anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ' +
  'ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander ' +
  'patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley ' +
  'kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia ' +
  'kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra rachel ' +
  'carolyn janet catherine heather diane ruth julie olivia joyce virginia victoria kelly lauren christina joan ' +
  'evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn ' +
  'janice jean abigail alice judy sophia grace denise amber doris marilyn danielle beverly isabella theresa ' +
  'diana natalie brittany charlotte marie kayla alexis lori zoe yusuf xavier quentin ulrich oscar ingrid'
).split(' ');
const LAST = (
  'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson ' +
  'anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis ' +
  'robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera ' +
  'campbell mitchell carter roberts'
).split(' ');
const cumulative = (() => {
  let sum = 0;
  const c = FIRST.map((_, r) => (sum += 1 / Math.sqrt(r + 1)));
  return c.map((x) => x / sum);
})();
/** A fixed pseudo-random number in [0, 1) per (i, salt). */
const unit = (i: number, salt: number) => {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h, 0x27d4eb2f);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
};
const firstName = (i: number) =>
  FIRST[
    Math.min(
      FIRST.length - 1,
      cumulative.findIndex((c) => c > unit(i, 1)),
    )
  ];
const lastName = (i: number) => LAST[Math.floor(unit(i, 2) * LAST.length)];
const local = (i: number) => `${firstName(i)}.${lastName(i)}${i}`;

/** The tenancy's i-th user: 70% SSO, 10% migrated, 3% migrating, 17% standard in its nominated domain. */
export type PortalKind = 'sso' | 'migrated' | 'migrating' | 'standard';
export const portalKind = (i: number): PortalKind => {
  const r = i % 100;
  return r < 70 ? 'sso' : r < 80 ? 'migrated' : r < 83 ? 'migrating' : 'standard';
};
export const portalEmail = (i: number) => `${local(i)}@${PORTAL_DOMAIN}`;
export const portalUserId = (i: number) => seedId('user', i, SPACE.tenancy);

export async function seedPortalWorld(opts: { passwordHash: string; progress?: (what: string, done: number, total: number) => void }) {
  const report = (what: string, total: number) => (done: number) => opts.progress?.(what, done, total);
  const tenant = (t: number) => (t === 0 ? PORTAL_TENANT : `7e0a0000-0000-4000-8000-${(0x100 + t).toString(16).padStart(12, '0')}`);
  const domain = (t: number) => (t === 0 ? PORTAL_DOMAIN : `t${t}.portal.test`);
  const tenants = OTHER_TENANTS + 1;
  await insertChunked(
    TenantModel.collection,
    tenants,
    (t) => ({
      _id: seedId('tenant', t, SPACE.tenancy),
      tenantId: tenant(t),
      name: t === 0 ? 'Contoso (100k users)' : `Other tenancy ${t}`,
      adminEmails: [`admin@${domain(t)}`],
      stage: 'live',
      domains: [domain(t)],
      allowedGroups: [],
      saml: {
        idpEntityId: `https://sts.windows.net/${tenant(t)}/`,
        ssoUrl: `https://login.example/${tenant(t)}/saml2`,
        certificates: [],
        signing: 'assertion',
      },
      configVersion: 1,
      liveAt: EPOCH,
      createdAt: EPOCH,
      updatedAt: EPOCH,
      __v: 0,
    }),
    report('tenants', tenants),
  );
  await insertChunked(
    SsoDomainModel.collection,
    tenants,
    (t) => ({
      _id: seedId('domain', t, SPACE.tenancy),
      domain: domain(t),
      tenantId: tenant(t),
      createdAt: EPOCH,
      updatedAt: EPOCH,
      __v: 0,
    }),
    report('ssodomains', tenants),
  );
  const base = {
    status: 'active',
    sessionVersion: 0,
    resetVersion: 0,
    isStaff: false,
    tenantAdminOf: [],
    createdAt: EPOCH,
    updatedAt: EPOCH,
    __v: 0,
  };
  const standard = { kind: 'standard', passwordHash: opts.passwordHash, emailConfirmedAt: EPOCH };
  await insertChunked(
    UserModel.collection,
    PORTAL_USERS,
    (i) => {
      const kind = portalKind(i);
      const shape =
        kind === 'sso'
          ? { kind: 'sso', tenantId: PORTAL_TENANT }
          : kind === 'migrated'
            ? { kind: 'sso', tenantId: PORTAL_TENANT, migration: { startedAt: EPOCH, completedAt: EPOCH } }
            : kind === 'migrating'
              ? { ...standard, status: 'migrating', tenantId: PORTAL_TENANT, migration: { startedAt: EPOCH } }
              : standard;
      return { _id: portalUserId(i), email: portalEmail(i), displayName: local(i), ...base, ...shape };
    },
    report('users (tenancy)', PORTAL_USERS),
  );
  // Entra identities of the SSO and migrated users (the first 80 of every 100), for last sign-in.
  const identities = (PORTAL_USERS * 80) / 100;
  const identityUser = (k: number) => Math.floor(k / 80) * 100 + (k % 80);
  await insertChunked(
    SsoIdentityModel.collection,
    identities,
    (k) => {
      const i = identityUser(k);
      return {
        _id: seedId('identity', k, SPACE.tenancy),
        tenantId: PORTAL_TENANT,
        objectId: `${i}-object`,
        userId: portalUserId(i),
        nameId: `${i}-object`,
        email: portalEmail(i),
        status: 'active',
        lastLoginAt: new Date(EPOCH.getTime() + i * 60_000),
        createdAt: EPOCH,
        updatedAt: EPOCH,
        __v: 0,
      };
    },
    report('ssoidentities', identities),
  );
  await insertChunked(
    UserModel.collection,
    OTHER_USERS,
    (i) => {
      const t = 1 + (i % OTHER_TENANTS);
      return {
        _id: seedId('user', i, SPACE.others),
        email: `${local(i)}@${domain(t)}`,
        displayName: local(i),
        ...base,
        kind: 'sso',
        tenantId: tenant(t),
      };
    },
    report('users (other tenancies)', OTHER_USERS),
  );
  await insertChunked(
    UserModel.collection,
    ELSEWHERE,
    (i) => ({
      _id: seedId('user', i, SPACE.elsewhere),
      email: `${local(i)}@mail${i % 20}.test`,
      displayName: local(i),
      ...base,
      ...standard,
    }),
    report('users (standard elsewhere)', ELSEWHERE),
  );
}
