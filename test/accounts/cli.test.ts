import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, test, vi } from 'vitest';
import { openBlob } from '../../lib/collab/file-storage';
import {
  ContactModel,
  FileModel,
  HubMembershipModel,
  HubModel,
  MeetingModel,
  MessageModel,
  StaffTokenModel,
  UserModel,
} from '../../lib/models';
import { seedDemo } from '../../lib/seed';
import { HttpClient } from '../support/http-client';
import { nextEmail } from '../support/mail';
import { createUser, signedIn, signInWithForm } from '../support/people';
import { useStack } from '../support/stack';

// Each command is a fresh `npx tsx` process (seconds each, more on a busy machine).
vi.setConfig({ testTimeout: 240_000 });

const stack = useStack({ workers: true });

/** The real CLI in its own process, configured for this file's database, Temporal namespace and inbox. */
function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const c = stack.env.config;
  const childEnv = {
    ...process.env,
    NODE_ENV: 'test',
    MONGO_URL: c.MONGO_URL,
    TEMPORAL_ADDRESS: c.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: c.TEMPORAL_NAMESPACE,
    TEMPORAL_TASK_QUEUE: c.TEMPORAL_TASK_QUEUE,
    SMTP_URL: c.SMTP_URL,
    PUBLIC_BASE_URL: c.PUBLIC_BASE_URL,
    ...extraEnv,
  };
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'cli/main.ts', ...args], { env: childEnv, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('usage', () => {
  test('unknown commands, bad emails and bad options exit 2 with a message and the usage', async () => {
    const [none, unknown, badEmail, unknownFlag, revokeNeither, badDomain] = await Promise.all([
      cli([]),
      cli(['staff:delete', 'x@example.test']),
      cli(['staff:create', 'not-an-email']),
      cli(['staff:token', 'ops@example.test', '--lable', 'typo']),
      cli(['staff:revoke-token']),
      cli(['seed', '--domain', 'not a domain']),
    ]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('staff:create <email>');
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('Unknown command "staff:delete"')]);
    expect([badEmail.code, badEmail.stderr]).toEqual([2, expect.stringContaining('"not-an-email" is not an email address.')]);
    expect(badEmail.stderr).toContain('usage: npm run cli -- staff:create <email>');
    expect([unknownFlag.code, unknownFlag.stderr]).toEqual([2, expect.stringContaining("Unknown option '--lable'")]);
    expect([revokeNeither.code, revokeNeither.stderr]).toEqual([2, expect.stringContaining('Give a token ID or --email')]);
    expect([badDomain.code, badDomain.stderr]).toEqual([2, expect.stringContaining('"not a domain" is not a domain name.')]);
    expect(await UserModel.countDocuments()).toBe(0);
  });
});

describe('staff accounts and tokens', () => {
  test('staff:create prints a one-time link that sets the password; the new staff user reaches the console', async () => {
    const run = await cli(['staff:create', 'Olga@Entrada.test', '--name', 'Olga Ops']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Created staff user olga@entrada.test');
    const link = run.stdout.match(/https?:\/\/\S+\/password\/reset\?token=\S+/)?.[0];
    expect(link).toBeDefined();

    const client = new HttpClient(stack.env.baseUrl);
    await client.get(link!);
    expect(client.lastHtml).toContain('For olga@entrada.test');
    await client.postForm('/password/reset', { token: new URL(link!).searchParams.get('token')!, password: 'runs-the-whole-console' });
    const olga = await signedIn(stack.env.baseUrl, 'olga@entrada.test', 'runs-the-whole-console');
    expect((await olga.get('/staff')).status).toBe(200);
  });

  test('staff:create promotes an existing user; --password sets one (and refuses a weak one)', async () => {
    await createUser({ email: 'promoted@example.test' });
    const [promote, weak] = await Promise.all([
      cli(['staff:create', 'promoted@example.test']),
      cli(['staff:create', 'weakling@example.test', '--password', 'short']),
    ]);
    expect(promote.code, promote.stderr).toBe(0);
    expect(promote.stdout).toContain('Promoted staff user promoted@example.test');
    expect((await UserModel.findOne({ email: 'promoted@example.test' }).lean())!.isStaff).toBe(true);
    expect([weak.code, weak.stderr]).toEqual([1, expect.stringContaining('Password refused: Use at least 10 characters.')]);
    expect(await UserModel.exists({ email: 'weakling@example.test' })).toBeNull();

    const withPassword = await cli(['staff:create', 'pat.ops@entrada.test', '--password', 'correct-horse-battery']);
    expect(withPassword.code, withPassword.stderr).toBe(0);
    expect(withPassword.stdout).not.toContain('/password/reset');
    expect((await signInWithForm(stack.env.baseUrl, 'pat.ops@entrada.test', 'correct-horse-battery')).res.status).toBe(200);
  });

  test('staff:token prints a working bearer token once; staff:revoke-token ends it', async () => {
    await createUser({ email: 'tokens@entrada.test', isStaff: true });
    const issued = await cli(['staff:token', 'tokens@entrada.test', '--label', 'siem']);
    expect(issued.code, issued.stderr).toBe(0);
    const token = issued.stdout.match(/^est_\S+$/m)?.[0];
    const id = issued.stdout.match(/^Token ([0-9a-f]{24}) /m)?.[1];
    expect(token && id).toBeTruthy();
    const stored = await StaffTokenModel.findById(id).lean();
    expect(stored).toMatchObject({ label: 'siem' });
    expect(JSON.stringify(stored)).not.toContain(token!);

    const call = () => fetch(`${stack.env.baseUrl}/api/staff/users`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);
    const [revoked, notStaff] = await Promise.all([cli(['staff:revoke-token', id!]), cli(['staff:token', 'promoted-not@example.test'])]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain('Revoked 1 token.');
    expect((await call()).status).toBe(401);
    expect([notStaff.code, notStaff.stderr]).toEqual([1, expect.stringContaining('No active staff user promoted-not@example.test')]);

    const again = await cli(['staff:revoke-token', id!]);
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining('No active token matched')]);
  });
});

describe('doctor', () => {
  test('runs the systemCheck workflow through the worker and reports each part', async () => {
    const before = stack.env.inbox.messages.length;
    const run = await cli(['doctor', '--notify', 'ops@example.test']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/ok {3}MongoDB/);
    expect(run.stdout).toContain(`ok   Temporal ${stack.env.config.TEMPORAL_ADDRESS}, namespace ${stack.env.namespace}`);
    expect(run.stdout).toMatch(/ok {3}Worker ran workflow system-check-doctor-/);
    expect(run.stdout).toContain('All checks passed.');
    await nextEmail(stack.env.inbox, 'ops@example.test', 'Entrada system check doctor-', before);
  });

  test('fails with a clear reason when no worker polls the task queue', async () => {
    const run = await cli(['doctor', '--timeout', '3'], { TEMPORAL_TASK_QUEUE: 'nobody-polls-this' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is a worker polling task queue "nobody-polls-this"?');
  });
});

describe('seed', () => {
  test('creates a demo organisation whose users sign in with the printed password, and is idempotent', async () => {
    const run = await cli(['seed', '--domain', 'fabrikam.example']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('created 5 users, 2 hubs, 8 files');
    const password = run.stdout.match(/with password "([^"]+)"/)![1];
    expect(run.stdout).toContain('adele.vance@fabrikam.example');

    const again = await seedDemo({ domain: 'fabrikam.example' });
    expect(again.created).toEqual({ users: 0, hubs: 0, files: 0, contacts: 0, messages: 0, meetings: 0 });
    const ids = Object.values(again.users).map((u) => u.id);
    expect(await UserModel.countDocuments({ _id: { $in: ids }, kind: 'standard', status: 'active', emailConfirmedAt: { $ne: null } })).toBe(
      5,
    );
    expect(await HubModel.countDocuments({ createdBy: { $in: ids } })).toBe(2);
    expect(await HubMembershipModel.countDocuments({ userId: { $in: ids } })).toBe(7);
    expect(await FileModel.countDocuments({ ownerId: { $in: ids } })).toBe(8);
    expect(await ContactModel.countDocuments({ ownerId: { $in: ids } })).toBe(13);
    expect(await MessageModel.countDocuments({ authorId: { $in: ids } })).toBe(5);
    expect(await MeetingModel.countDocuments({ organizerId: { $in: ids } })).toBe(3);

    // Every file's bytes are really stored (inline or in GridFS) and match what was seeded.
    for (const f of again.files) {
      const meta = await FileModel.findById(f.id).select('+data');
      const bytes: Buffer[] = [];
      for await (const chunk of openBlob(meta!)) bytes.push(chunk as Buffer);
      expect(createHash('sha256').update(Buffer.concat(bytes)).digest('hex'), f.name).toBe(f.sha256);
      expect(Buffer.concat(bytes).length).toBe(meta!.size);
    }

    const adele = await signedIn(stack.env.baseUrl, 'adele.vance@fabrikam.example', password);
    expect((await adele.api('GET', '/api/auth/me')).body.user.displayName).toBe('Adele Vance');
  });

  test('refuses known passwords in production unless forced', async () => {
    const run = await cli(['seed'], {
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      SECRETS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('Refusing to create users with known passwords in production')]);
    expect(await UserModel.exists({ email: 'adele.vance@contoso.example' })).toBeNull();
  });
});
