// Who may do what: one table, checked on the server for every route and socket event.
// People have roles; a wall display is a principal of its own, never a person
// (docs/architecture.md, "Displays").
export const ROLES = ['admin', 'operator', 'guest'] as const;
export type Role = (typeof ROLES)[number];
/** Everyone a permission may be granted to: the roles of people, and enrolled wall displays. */
export const PRINCIPALS = [...ROLES, 'display'] as const;
export type PrincipalKind = (typeof PRINCIPALS)[number];

export const PERMISSIONS = {
  'status.read': ['admin', 'operator', 'guest'],
  'status.ack': ['admin', 'operator'],
  'definitions.read': ['admin', 'operator', 'guest'],
  'definitions.write': ['admin', 'operator'],
  // Export and import carry feed tokens and webhook URLs, which may hold secrets.
  'definitions.transfer': ['admin'],
  'hosts.read': ['admin', 'operator', 'guest'],
  'hosts.write': ['admin'],
  'users.write': ['admin'],
  'audit.read': ['admin'],
  // Enrolling a screen hands out a credential that outlives any session: admins only.
  'displays.read': ['admin'],
  'displays.write': ['admin'],
  // A display reads its own scope's status and itself, nothing else; no person holds this.
  'display.status': ['display'],
} as const satisfies Record<string, readonly PrincipalKind[]>;
export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function allows(who: PrincipalKind, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly PrincipalKind[]).includes(who);
}

/** Whether any role of a person holds the permission (else only displays do). */
export function grantedToPeople(permission: Permission): boolean {
  return ROLES.some((role) => allows(role, permission));
}
