// Who may do what: one table, checked on the server for every route and socket event.
export const ROLES = ['admin', 'operator', 'guest'] as const;
export type Role = (typeof ROLES)[number];

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
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function allows(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
