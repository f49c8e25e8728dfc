/** Stubbed deletion steps with plausible answers; each test overrides the step it is about. */
import type { DeletionRequester } from '../../lib/contracts/deletion';
import { stubActivities, type Stubs } from './stub-activities';

export const requestedBy: DeletionRequester = { kind: 'staff', email: 'sam@entrada.test', reason: 'Left the company' };
export const account = { email: 'ada@contoso.example', kind: 'sso' as const, tenantId: 'tid-contoso', isStaff: false };
export const linkCounts = {
  sharesRemoved: 2,
  contactsRemoved: 3,
  messagesRemoved: 4,
  meetingsDeleted: 1,
  meetingsLeft: 1,
  invitesRevoked: 0,
};
export const COMPLETED_AT = '2026-01-02T03:04:05.000Z';

export const deletionSteps = (overrides: Stubs = {}) =>
  stubActivities({
    markUserDeleting: () => ({ ...account, auditEventId: 'd-mark' }),
    revokeUserSessions: () => ({ staffTokens: 1, auditEventId: 'd-sessions' }),
    purgeUserFiles: () => ({ purged: 7, bytes: 7_000, auditEventId: 'd-files' }),
    releaseUserHubs: () => ({ left: 1, transferred: 1, orphaned: [], auditEventId: 'd-hubs' }),
    purgeOrphanedHub: ({ hubId }) => ({ files: 2, bytes: 200, messages: 1, meetings: 0, members: 3, auditEventId: `d-hub-${hubId}` }),
    removeUserLinks: () => ({ counts: linkCounts, auditEventId: 'd-links' }),
    tombstoneUser: () => ({ identities: 1, completedAt: COMPLETED_AT, auditEventId: 'd-tombstone' }),
    notifyUserDeleted: () => ({ notified: 2, auditEventId: 'd-notify' }),
    ...overrides,
  });
