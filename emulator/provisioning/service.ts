/**
 * Entra's provisioning service, replayed: runs provisioning cycles of a ProvisioningDirectory
 * against a SCIM endpoint with the request sequences Entra sends.
 * - initial cycle: for each user in scope, `GET /Users?filter=userName eq "…"`, then `POST`
 *   when nothing matched (or a PATCH of the differences when something did); groups likewise
 *   by displayName (with excludedAttributes=members), created without members, then members
 *   added in batches;
 * - incremental cycles: only what changed, as PATCH operations; disabled, unassigned and
 *   soft-deleted users get `active` false; hard-deleted users a DELETE;
 * - failures (409, 5xx...) stay dirty and are tried again next cycle (Entra's escrow).
 * Every request is recorded with its status and time.
 */
import type { ProvisioningDirectory } from './directory';
import {
  createGroupBody,
  createUserBody,
  mappedFromResource,
  mapUser,
  memberOps,
  patchBody,
  userPatchOps,
  type Dialect,
  type MappedUser,
} from './requests';

export interface ServiceOptions {
  /** e.g. https://entrada.example/scim/v2/<tenantId> */
  scimUrl: string;
  token: string;
  dialect?: Dialect;
  /** Users handled at once (Entra works on several objects in parallel). */
  concurrency?: number;
  /** Members per group PATCH. */
  memberBatchSize?: number;
}

export interface SentRequest {
  method: string;
  path: string;
  status: number;
  ms: number;
  body?: unknown;
  response?: unknown;
}

export interface CycleReport {
  kind: 'initial' | 'incremental';
  requests: SentRequest[];
  created: number;
  updated: number;
  deleted: number;
  failed: { objectId: string; status: number; detail?: string }[];
  durationMs: number;
}

export class EntraProvisioningService {
  readonly scimIds = new Map<string, string>();
  private readonly synced = new Map<string, MappedUser>();
  readonly groupIds = new Map<string, string>();
  private readonly syncedMembers = new Map<string, Set<string>>();
  private cycles = 0;
  token: string;

  constructor(
    readonly directory: ProvisioningDirectory,
    private readonly opts: ServiceOptions,
  ) {
    this.token = opts.token;
  }

  async runCycle(): Promise<CycleReport> {
    const started = Date.now();
    const report: CycleReport = {
      kind: this.cycles++ === 0 ? 'initial' : 'incremental',
      requests: [],
      created: 0,
      updated: 0,
      deleted: 0,
      failed: [],
      durationMs: 0,
    };
    const users = report.kind === 'initial' ? [...this.directory.users.keys()] : [...this.directory.dirtyUsers];
    this.directory.dirtyUsers.clear();
    await pool(users, this.opts.concurrency ?? 4, (id) => this.syncUser(id, report));
    const groups = report.kind === 'initial' ? [...this.directory.groups.keys()] : [...this.directory.dirtyGroups];
    this.directory.dirtyGroups.clear();
    for (const id of groups) await this.syncGroup(id, report);
    report.durationMs = Date.now() - started;
    return report;
  }

  private async syncUser(objectId: string, report: CycleReport): Promise<void> {
    const u = this.directory.user(objectId);
    const known = this.scimIds.get(objectId);
    const fail = (status: number, detail?: unknown) => {
      report.failed.push({ objectId, status, detail: (detail as { detail?: string } | undefined)?.detail });
      this.directory.dirtyUsers.add(objectId);
    };
    if (u.deleted === 'hard') {
      if (!known) return;
      const res = await this.send(report, 'DELETE', `/Users/${known}`);
      if (res.status !== 204 && res.status !== 404) return fail(res.status, res.body);
      this.forget(objectId);
      report.deleted++;
      return;
    }
    const manager = u.managerObjectId ? this.scimIds.get(u.managerObjectId) : undefined;
    if (u.managerObjectId && !manager) this.directory.dirtyUsers.add(objectId); // the manager first; the reference next cycle
    const mapped = mapUser(u, manager);
    if (!known) {
      if (!u.assigned || u.deleted) return; // never provisioned and out of scope: nothing to tell
      const found = await this.send(report, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${u.userPrincipalName}"`)}`);
      if (found.status !== 200) return fail(found.status, found.body);
      const match = (found.body as { Resources?: Record<string, unknown>[] }).Resources?.[0];
      if (!match) {
        const created = await this.send(report, 'POST', '/Users', createUserBody(u, mapped));
        if (created.status !== 201) return fail(created.status, created.body);
        this.remember(objectId, String((created.body as { id: string }).id), mapped);
        report.created++;
        return;
      }
      this.remember(objectId, String(match.id), mappedFromResource(match));
    }
    const ops = userPatchOps(this.synced.get(objectId)!, mapped, this.opts.dialect ?? 'legacy');
    if (ops.length === 0) return;
    const res = await this.send(report, 'PATCH', `/Users/${this.scimIds.get(objectId)}`, patchBody(ops));
    if (res.status === 404) this.forget(objectId); // gone there: matched or created again next cycle
    if (res.status !== 200) return fail(res.status, res.body);
    this.synced.set(objectId, mapped);
    report.updated++;
  }

  private async syncGroup(objectId: string, report: CycleReport): Promise<void> {
    const g = this.directory.group(objectId);
    if (!g.assigned) return;
    let id = this.groupIds.get(objectId);
    if (!id) {
      const found = await this.send(
        report,
        'GET',
        `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${g.displayName}"`)}`,
      );
      id = (found.body as { Resources?: { id: string }[] })?.Resources?.[0]?.id;
      if (!id) {
        const created = await this.send(report, 'POST', '/Groups', createGroupBody(g));
        if (created.status !== 201) return void this.directory.dirtyGroups.add(objectId);
        id = (created.body as { id: string }).id;
      }
      this.groupIds.set(objectId, id);
      this.syncedMembers.set(objectId, new Set());
    }
    const synced = this.syncedMembers.get(objectId)!;
    const wanted = [...g.members].filter((m) => this.scimIds.has(m));
    if (wanted.length < g.members.size) this.directory.dirtyGroups.add(objectId); // members not provisioned yet
    const adds = wanted.filter((m) => !synced.has(m));
    const removes = [...synced].filter((m) => !g.members.has(m) || !this.scimIds.has(m));
    const batch = this.opts.memberBatchSize ?? 100;
    for (const [kind, members] of [
      ['Add', adds],
      ['Remove', removes],
    ] as const) {
      for (let i = 0; i < members.length; i += batch) {
        const chunk = members.slice(i, i + batch);
        const scimIds = chunk.map((m) => this.scimIds.get(m) ?? this.lastScimId.get(m)!);
        const res = await this.send(report, 'PATCH', `/Groups/${id}`, patchBody(memberOps(this.opts.dialect ?? 'legacy', kind, scimIds)));
        if (res.status !== 200) {
          this.directory.dirtyGroups.add(objectId);
          continue;
        }
        chunk.forEach((m) => (kind === 'Add' ? synced.add(m) : synced.delete(m)));
      }
    }
  }

  /** SCIM IDs of users deleted since, to remove them from groups. */
  private readonly lastScimId = new Map<string, string>();

  private remember(objectId: string, scimId: string, mapped: MappedUser): void {
    this.scimIds.set(objectId, scimId);
    this.lastScimId.set(objectId, scimId);
    this.synced.set(objectId, mapped);
  }

  private forget(objectId: string): void {
    this.scimIds.delete(objectId);
    this.synced.delete(objectId);
  }

  private async send(report: CycleReport, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const started = performance.now();
    const res = await fetch(`${this.opts.scimUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/scim+json',
        ...(body ? { 'content-type': 'application/scim+json; charset=utf-8' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    report.requests.push({
      method,
      path,
      status: res.status,
      ms: performance.now() - started,
      ...(body ? { body } : {}),
      ...(res.status >= 400 ? { response: parsed } : {}),
    });
    return { status: res.status, body: parsed };
  }
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}
