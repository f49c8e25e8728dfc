/**
 * The user directory of one emulated tenant.
 *
 * Models what matters to Entrada's identity rules: the object ID is immutable and never reused
 * (a "recreated" user is a new object with the same email), emails are unique per tenant and
 * matched case-insensitively like UPNs, and group memberships are object-ID strings.
 * Reads return frozen copies so callers cannot change an object ID behind the directory's back.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatedUser, NewUserInput } from './index';
import { EmulatorError } from './errors';

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

function freeze(u: EmulatedUser): EmulatedUser {
  return Object.freeze({ ...u, groups: Object.freeze([...u.groups]) as string[] });
}

export class Directory {
  private readonly byId = new Map<string, EmulatedUser>();

  constructor(private readonly onChange: () => void) {}

  list(): EmulatedUser[] {
    return [...this.byId.values()].map(freeze);
  }

  find(email: string): EmulatedUser | undefined {
    const u = this.findRecord(email);
    return u && freeze(u);
  }

  add(input: NewUserInput): EmulatedUser {
    const email = input.email.trim();
    if (!EMAIL.test(email)) throw new EmulatorError(400, `Invalid email address: '${input.email}'`);
    if (this.findRecord(email)) throw new EmulatorError(409, `A user with email ${email} already exists in this tenant`);
    const objectId = input.objectId ?? randomUUID();
    if (this.byId.has(objectId)) throw new EmulatorError(409, `Object ID ${objectId} is already in use`);
    const local = email.split('@')[0]!;
    const user: EmulatedUser = {
      objectId,
      email,
      displayName: input.displayName?.trim() || local,
      ...(input.givenName ? { givenName: input.givenName } : {}),
      ...(input.surname ? { surname: input.surname } : {}),
      groups: [...new Set(input.groups ?? [])],
      ...(input.mfa ? { mfa: true } : {}),
      ...(input.roles?.length ? { roles: [...new Set(input.roles)] } : {}),
    };
    this.byId.set(objectId, user);
    this.onChange();
    return freeze(user);
  }

  remove(emailOrObjectId: string): EmulatedUser {
    const user = this.byId.get(emailOrObjectId) ?? this.findRecord(emailOrObjectId);
    if (!user) throw new EmulatorError(404, `No user '${emailOrObjectId}' in this tenant`);
    this.byId.delete(user.objectId);
    this.onChange();
    return freeze(user);
  }

  /** Same email and profile (names, groups), new object ID: what Entrada must treat as a new person. */
  recreate(email: string): EmulatedUser {
    const { objectId: _old, ...profile } = this.remove(email);
    return this.add({ ...profile, groups: [...profile.groups] });
  }

  setGroups(email: string, groups: string[]): void {
    const user = this.findRecord(email);
    if (!user) throw new EmulatorError(404, `No user '${email}' in this tenant`);
    user.groups = [...new Set(groups)];
    this.onChange();
  }

  private findRecord(email: string): EmulatedUser | undefined {
    const wanted = email.trim().toLowerCase();
    for (const u of this.byId.values()) if (u.email.toLowerCase() === wanted) return u;
    return undefined;
  }
}
