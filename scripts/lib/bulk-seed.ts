import { createHash } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import {
  AuditEventModel,
  BLOB_BUCKET,
  FileModel,
  PURGE_SLOTS,
  HubMembershipModel,
  HubModel,
  InviteModel,
  SessionModel,
  SsoDomainModel,
  SsoIdentityModel,
  TenantModel,
  UserModel,
} from '../../lib/models';
import { chainedEvents } from './seed-chain';

/**
 * Bulk data in the app's own document shapes, for the growth benchmark and the scan guard:
 * tenants (live, with claimed domains), users (half SSO, bound to an identity), sessions,
 * a year of audit events, hubs with members, files with their GridFS blobs, invites.
 *
 * Every document has a deterministic `_id` (kind + index), and each collection is written in
 * fixed chunks, skipping a chunk whose last document exists: a re-run (also after an
 * interrupted one) adds only what is missing and never duplicates.
 */
export interface WorldSize {
  tenants: number;
  users: number;
  sessions: number;
  auditEvents: number;
  hubs: number;
  files: number;
}

export const GROWTH_SIZES = {
  small: { tenants: 10, users: 1_000, sessions: 10_000, auditEvents: 10_000, hubs: 100, files: 10_000 },
  large: { tenants: 100, users: 100_000, sessions: 300_000, auditEvents: 1_000_000, hubs: 2_000, files: 200_000 },
} satisfies Record<string, WorldSize>;

const KIND = {
  tenant: 1,
  user: 2,
  identity: 3,
  audit: 4,
  hub: 5,
  membership: 6,
  file: 7,
  blob: 8,
  chunk: 9,
  invite: 10,
  domain: 11,
} as const;
const EPOCH = new Date('2025-01-01T00:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const CHUNK = 2_000;
export const HUB_MEMBERS = 5;

/** A fixed ObjectId per (kind, index); `space` keeps extra sets (one user's files) apart. */
export const seedId = (kind: keyof typeof KIND, i: number, space = 0) => {
  const b = Buffer.alloc(12);
  b.writeUInt32BE(EPOCH.getTime() / 1000, 0);
  b.writeUInt8(KIND[kind], 4);
  b.writeUInt8(space, 5);
  b.writeUIntBE(i, 6, 6);
  return new Types.ObjectId(b);
};
const guid = (kind: number, i: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

export const seededTenantId = (t: number) => guid(KIND.tenant, t);
export const seededDomain = (t: number) => `t${t}.growth.test`;
export const isSsoUser = (u: number) => u % 2 === 0;
export const seededTenantOf = (u: number, size: WorldSize) => (u / 2) % size.tenants;
export const seededEmail = (u: number, size: WorldSize) =>
  isSsoUser(u) ? `u${u}@${seededDomain(seededTenantOf(u, size))}` : `u${u}@growth.test`;
export const seededObjectId = (u: number) => guid(KIND.identity, u);
export const hubMember = (h: number, j: number, size: WorldSize) => (h * 7 + j * 13) % size.users;

const ACTIONS = [
  'auth.signin',
  'sso.signed-in',
  'auth.signout',
  'file.upload',
  'file.share',
  'hub.member.add',
  'invite.accepted',
  'saml.rejected',
  'auth.register',
  'hub.create',
];

/** Writes what is missing of a world of `size`; `passwordHash` is shared by every standard user. */
export async function seedWorld(
  size: WorldSize,
  opts: { passwordHash: string; progress?: (what: string, done: number, total: number) => void },
): Promise<void> {
  const now = Date.now();
  const put = (coll: mongoose.mongo.Collection, count: number, make: (i: number) => Record<string, unknown>) =>
    insertChunked(coll, count, make, (done) => opts.progress?.(coll.collectionName, done, count));
  const user = (u: number) => seedId('user', u);

  await put(TenantModel.collection, size.tenants, (t) => ({
    _id: seedId('tenant', t),
    tenantId: seededTenantId(t),
    name: `Growth tenant ${t}`,
    adminEmails: [`admin@${seededDomain(t)}`],
    stage: 'live',
    domains: [seededDomain(t)],
    allowedGroups: [],
    saml: {
      idpEntityId: `https://sts.windows.net/${seededTenantId(t)}/`,
      ssoUrl: `https://login.example/${seededTenantId(t)}/saml2`,
      certificates: [],
      signing: 'assertion',
    },
    configVersion: 1,
    liveAt: EPOCH,
    createdAt: EPOCH,
    updatedAt: EPOCH,
    __v: 0,
  }));
  await put(SsoDomainModel.collection, size.tenants, (t) => ({
    _id: seedId('domain', t),
    domain: seededDomain(t),
    tenantId: seededTenantId(t),
    createdAt: EPOCH,
    updatedAt: EPOCH,
    __v: 0,
  }));
  await put(UserModel.collection, size.users, (u) => ({
    _id: user(u),
    email: seededEmail(u, size),
    kind: isSsoUser(u) ? 'sso' : 'standard',
    status: 'active',
    displayName: `User ${u}`,
    ...(isSsoUser(u)
      ? { tenantId: seededTenantId(seededTenantOf(u, size)) }
      : { passwordHash: opts.passwordHash, emailConfirmedAt: EPOCH }),
    sessionVersion: 0,
    resetVersion: 0,
    isStaff: false,
    tenantAdminOf: [],
    createdAt: EPOCH,
    updatedAt: EPOCH,
    __v: 0,
  }));
  await put(SsoIdentityModel.collection, Math.ceil(size.users / 2), (k) => ({
    _id: seedId('identity', k * 2),
    tenantId: seededTenantId(seededTenantOf(k * 2, size)),
    objectId: seededObjectId(k * 2),
    userId: user(k * 2),
    nameId: seededObjectId(k * 2),
    email: seededEmail(k * 2, size),
    status: 'active',
    lastLoginAt: EPOCH,
    createdAt: EPOCH,
    updatedAt: EPOCH,
    __v: 0,
  }));
  // Sessions as express-session leaves them; one in ten has expired.
  await put(SessionModel.collection, size.sessions, (s) => {
    const expires = new Date(now + (s % 10 === 0 ? -DAY : 8 * 60 * 60 * 1000));
    return {
      _id: createHash('sha256').update(`session-${s}`).digest('base64url').slice(0, 32),
      expires,
      session: {
        cookie: { originalMaxAge: 28_800_000, expires, httpOnly: true, path: '/', sameSite: 'lax', secure: false },
        passport: { user: `${user(s % size.users)}:0` },
      },
    };
  });
  await seedAuditTrail(size, opts);
  await put(HubModel.collection, size.hubs, (h) => ({
    _id: seedId('hub', h),
    name: `Hub ${h}`,
    createdBy: user(hubMember(h, 0, size)),
    createdAt: EPOCH,
    updatedAt: EPOCH,
    __v: 0,
  }));
  await put(HubMembershipModel.collection, size.hubs * HUB_MEMBERS, (m) => {
    const [h, j] = [Math.floor(m / HUB_MEMBERS), m % HUB_MEMBERS];
    return {
      _id: seedId('membership', m),
      hubId: seedId('hub', h),
      userId: user(hubMember(h, j, size)),
      role: j === 0 ? 'owner' : j === 1 ? 'admin' : 'member',
      createdAt: EPOCH,
      updatedAt: EPOCH,
      __v: 0,
    };
  });
  // Half the files live in a hub (owned by one of its members), a tenth are shared with someone.
  await seedFiles(
    size.files,
    (i) => {
      const h = i % size.hubs;
      return i % 2 === 0
        ? { ownerId: user(hubMember(h, i % HUB_MEMBERS, size)), hubId: seedId('hub', h) }
        : { ownerId: user((i * 31) % size.users), sharedWith: i % 10 === 1 ? [user((i * 17) % size.users)] : [] };
    },
    { progress: opts.progress },
  );
  await put(InviteModel.collection, Math.ceil(size.users / 10), (v) => {
    const inviterId = user((v * 10 + 1) % size.users);
    const email = `guest${v}@outside.test`;
    return {
      _id: seedId('invite', v),
      tokenHash: createHash('sha256').update(`invite-${v}`).digest('hex'),
      email,
      inviterId,
      kind: 'standard',
      asContact: true,
      status: 'pending',
      expiresAt: new Date(now + 14 * DAY),
      dedupeKey: `${inviterId}|${email}|contact`,
      createdAt: EPOCH,
      updatedAt: EPOCH,
      __v: 0,
    };
  });
}

/** The audit trail alone (the audit search benchmark needs nothing else); part of `seedWorld`. */
export async function seedAuditTrail(
  size: WorldSize,
  opts: { progress?: (what: string, done: number, total: number) => void } = {},
): Promise<void> {
  const now = Date.now();
  const user = (u: number) => seedId('user', u);
  // A year of events, oldest first, spread over tenants, actions and users, each in its tenancy's chain.
  await insertChunked(
    AuditEventModel.collection,
    size.auditEvents,
    chainedEvents(size.auditEvents, (e) => {
      const u = (Math.floor(e / ACTIONS.length) * 7919) % size.users; // who does not depend on what
      return {
        _id: seedId('audit', e),
        at: new Date(now - 365 * DAY + Math.floor((e * 365 * DAY) / size.auditEvents)),
        action: ACTIONS[e % ACTIONS.length],
        outcome: e % 20 === 0 ? 'failure' : 'success',
        actor: { kind: 'user', userId: String(user(u)), email: seededEmail(u, size) },
        target: { type: 'user', id: String(user(u)) },
        ...(isSsoUser(u) ? { tenantId: seededTenantId(seededTenantOf(u, size)) } : {}),
        ip: `10.0.${e % 250}.${u % 250}`,
        userAgent: 'growth-seed',
        __v: 0,
      };
    }),
    (done) => opts.progress?.(AuditEventModel.collection.collectionName, done, size.auditEvents),
  );
}

/**
 * `count` small files (64 bytes) with metadata from `place(i)`; `space` gives another set of
 * IDs (one user's extra files for the purge measurement). Stored as the app stores a file that
 * small (inline, with its purge slot), or with `layout: 'gridfs'` as it did before inline
 * storage (a GridFS file document and one chunk each).
 */
export async function seedFiles(
  count: number,
  place: (i: number) => { ownerId: Types.ObjectId; hubId?: Types.ObjectId; sharedWith?: Types.ObjectId[] },
  opts: { space?: number; layout?: 'inline' | 'gridfs'; progress?: (what: string, done: number, total: number) => void } = {},
): Promise<void> {
  const db = mongoose.connection.db!;
  const space = opts.space ?? 0;
  const gridfs = opts.layout === 'gridfs';
  const bytes = (i: number) => createHash('sha512').update(`file-${space}-${i}`).digest();
  const progress = (what: string) => (done: number) => opts.progress?.(what, done, count);
  if (gridfs) {
    await insertChunked(
      db.collection(`${BLOB_BUCKET}.chunks`),
      count,
      (i) => ({ _id: seedId('chunk', i, space), files_id: seedId('blob', i, space), n: 0, data: new mongoose.mongo.Binary(bytes(i)) }),
      progress('blobs.chunks'),
    );
    await insertChunked(
      db.collection(`${BLOB_BUCKET}.files`),
      count,
      (i) => ({
        _id: seedId('blob', i, space),
        length: 64,
        chunkSize: 261_120,
        uploadDate: EPOCH,
        filename: `file-${i}.txt`,
        metadata: { contentType: 'text/plain' },
      }),
      progress('blobs.files'),
    );
  }
  await insertChunked(
    FileModel.collection,
    count,
    (i) => ({
      _id: seedId('file', i, space),
      name: `file-${i}.txt`,
      size: 64,
      contentType: 'text/plain',
      ...(gridfs ? { blobId: seedId('blob', i, space) } : { data: new mongoose.mongo.Binary(bytes(i)), purgeSlot: i % PURGE_SLOTS }),
      sharedWith: [],
      ...place(i),
      createdAt: EPOCH,
      updatedAt: EPOCH,
      __v: 0,
    }),
    progress('files'),
  );
}

/** Inserts `count` documents made by `make` in chunks, skipping chunks already written (see above). */
export async function insertChunked(
  coll: mongoose.mongo.Collection,
  count: number,
  make: (i: number) => Record<string, unknown>,
  progress: (done: number) => void,
): Promise<void> {
  for (let start = 0; start < count; start += CHUNK) {
    const end = Math.min(count, start + CHUNK);
    if (!(await coll.findOne({ _id: make(end - 1)._id as never }, { projection: { _id: 1 } }))) {
      const docs = Array.from({ length: end - start }, (_, k) => make(start + k));
      // An interrupted earlier run may have written part of this chunk: those are refused one by one.
      await coll.insertMany(docs, { ordered: false }).catch((err) => {
        if (err?.code !== 11000) throw err;
      });
    }
    progress(end);
  }
}
