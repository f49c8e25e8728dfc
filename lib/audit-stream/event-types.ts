/**
 * Entrada's audit actions as ASIM-style event types, so a customer's Sentinel queries read
 * like their other sources (`EventType == "Logon" and EventResult == "Failure"`). Where ASIM
 * has a name (Authentication: Logon/Logoff; File: FileCreated, FileAccessed, ...; User
 * management: UserCreated, UserAddedToGroup, PasswordChanged, ...) it is used; the rest are
 * Entrada's own names in the same style. The original action is always in EventOriginalType.
 */
const EXACT: Record<string, string> = {
  'auth.signin': 'Logon',
  'sso.signed-in': 'Logon',
  'saml.rejected': 'Logon',
  'auth.rate-limited': 'Logon',
  'auth.signout': 'Logoff',
  'auth.register': 'UserCreated',
  'sso.user-provisioned': 'UserCreated',
  'auth.password-reset.completed': 'PasswordChanged',
  'file.upload': 'FileCreated',
  'file.view': 'FileAccessed',
  'file.read': 'FileAccessed',
  'file.download': 'FileDownloaded',
  'file.rename': 'FileRenamed',
  'file.delete': 'FileDeleted',
  'file.manage': 'FileModified',
  'file.share': 'FileShared',
  'file.unshare': 'FileUnshared',
  'message.send': 'MessageSent',
  'message.read': 'MessageRead',
  'message.delete': 'MessageDeleted',
  'hub.create': 'GroupCreated',
  'hub.rename': 'GroupModified',
  'hub.delete': 'GroupDeleted',
  'hub.member.add': 'UserAddedToGroup',
  'hub.member.remove': 'UserRemovedFromGroup',
  'hub.member.role': 'GroupRoleChanged',
  'hub.ownership.transfer': 'GroupRoleChanged',
  'onboarding.stage': 'TenancyStageChanged',
  'onboarding.domain.claim': 'DomainAdded',
  'onboarding.domain.release': 'DomainRemoved',
  'user.deletion.purge-files': 'FilesPurged',
  'user.deletion.tombstone': 'UserDeleted',
  'audit-stream.test-event': 'ConnectionTested',
};

const PREFIXES: [string, string][] = [
  ['user.migration.', 'UserModified'],
  ['user.deletion.', 'UserDeletionStep'],
  ['hub.', 'GroupModified'],
  ['onboarding.', 'TenancySettingChanged'],
  ['audit-stream.', 'TenancySettingChanged'],
  ['invite.', 'InviteActivity'],
  ['staff.', 'StaffActivity'],
];

export function eventTypeOf(action: string): string {
  return EXACT[action] ?? PREFIXES.find(([prefix]) => action.startsWith(prefix))?.[1] ?? 'Other';
}
