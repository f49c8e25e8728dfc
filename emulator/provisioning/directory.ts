/**
 * The directory as Entra's provisioning service sees it: users with their attributes, whether
 * they are enabled and assigned to the application (in scope), soft-deleted (30 days in the
 * recycle bin) or hard-deleted; groups and their members. Every change marks the object
 * dirty, so an incremental cycle sends only what changed, as Entra's does.
 */
import { randomUUID } from 'node:crypto';

export interface DirectoryUser {
  objectId: string;
  userPrincipalName: string;
  mail?: string;
  givenName?: string;
  surname?: string;
  displayName?: string;
  jobTitle?: string;
  department?: string;
  managerObjectId?: string;
  accountEnabled: boolean;
  /** Assigned to the enterprise application (in provisioning scope). */
  assigned: boolean;
  deleted?: 'soft' | 'hard';
}

export interface DirectoryGroup {
  objectId: string;
  displayName: string;
  assigned: boolean;
  members: Set<string>;
}

export type NewDirectoryUser = Partial<DirectoryUser> & { userPrincipalName: string };

export class ProvisioningDirectory {
  readonly users = new Map<string, DirectoryUser>();
  readonly groups = new Map<string, DirectoryGroup>();
  /** Objects changed since the last cycle that looked at them. */
  readonly dirtyUsers = new Set<string>();
  readonly dirtyGroups = new Set<string>();

  addUser(input: NewDirectoryUser): DirectoryUser {
    const local = input.userPrincipalName.split('@')[0];
    const user: DirectoryUser = {
      objectId: randomUUID(),
      mail: input.userPrincipalName,
      givenName: local,
      surname: 'Tester',
      accountEnabled: true,
      assigned: true,
      ...input,
    };
    user.displayName ??= `${user.givenName} ${user.surname}`;
    this.users.set(user.objectId, user);
    this.dirtyUsers.add(user.objectId);
    return user;
  }

  updateUser(objectId: string, changes: Partial<Omit<DirectoryUser, 'objectId'>>): DirectoryUser {
    const user = this.user(objectId);
    Object.assign(user, changes);
    this.dirtyUsers.add(objectId);
    return user;
  }

  disable = (objectId: string) => this.updateUser(objectId, { accountEnabled: false });
  enable = (objectId: string) => this.updateUser(objectId, { accountEnabled: true });
  unassign = (objectId: string) => this.updateUser(objectId, { assigned: false });
  assign = (objectId: string) => this.updateUser(objectId, { assigned: true });
  /** Deleted in Entra: 30 days in the recycle bin, restorable. */
  softDelete = (objectId: string) => this.updateUser(objectId, { deleted: 'soft' });
  restore = (objectId: string) => this.updateUser(objectId, { deleted: undefined });
  /** Deleted for good (emptied from the recycle bin, or 30 days passed). */
  hardDelete = (objectId: string) => this.updateUser(objectId, { deleted: 'hard' });

  addGroup(displayName: string, members: string[] = []): DirectoryGroup {
    const group: DirectoryGroup = { objectId: randomUUID(), displayName, assigned: true, members: new Set(members) };
    this.groups.set(group.objectId, group);
    this.dirtyGroups.add(group.objectId);
    return group;
  }

  addMembers(groupId: string, objectIds: string[]): void {
    objectIds.forEach((id) => this.group(groupId).members.add(id));
    this.dirtyGroups.add(groupId);
  }

  removeMembers(groupId: string, objectIds: string[]): void {
    objectIds.forEach((id) => this.group(groupId).members.delete(id));
    this.dirtyGroups.add(groupId);
  }

  user(objectId: string): DirectoryUser {
    const user = this.users.get(objectId);
    if (!user) throw new Error(`No directory user ${objectId}`);
    return user;
  }

  group(objectId: string): DirectoryGroup {
    const group = this.groups.get(objectId);
    if (!group) throw new Error(`No directory group ${objectId}`);
    return group;
  }
}
