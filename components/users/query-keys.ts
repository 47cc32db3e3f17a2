// The query keys of the Users page, the audit log and the Displays page, apart from their hooks so
// that the shell can invalidate them when the server says a list changed.
import type { AdminList } from '../../server/domain/live';

export const usersKey = ['users'] as const;
export const sessionsKey = ['sessions'] as const;
/** Prefix of every audit page query (components/audit). */
export const auditKey = ['audit'] as const;
export const displaysKey = ['displays'] as const;

export const adminListKeys: Record<AdminList, readonly string[]> = { users: usersKey, sessions: sessionsKey, audit: auditKey, displays: displaysKey };
