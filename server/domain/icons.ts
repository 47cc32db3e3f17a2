// The icons a scope or monitoring object may show on a map: a closed list, so the
// store never holds a name the View cannot draw. Shared by the server and the View.
export const ICONS = ['scope', 'jobnet', 'job', 'server', 'database', 'network', 'calendar', 'file', 'mail', 'cloud'] as const;
export type IconName = (typeof ICONS)[number];

export const DEFAULT_SCOPE_ICON: IconName = 'scope';
export const DEFAULT_OBJECT_ICON: IconName = 'jobnet';

export function isIcon(value: unknown): value is IconName {
  return typeof value === 'string' && (ICONS as readonly string[]).includes(value);
}
