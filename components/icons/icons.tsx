// The icons a business scope or monitoring object shows (the closed list of
// server/domain/icons.ts), drawn as small inline SVGs in the current text colour:
// one module for every screen that shows them (dialogs, tiles, the map).
import type { ReactNode } from 'react';
import { DEFAULT_OBJECT_ICON, DEFAULT_SCOPE_ICON, ICONS, isIcon, type IconName } from '../../server/domain/icons';

export { ICONS, isIcon, type IconName };

/** Each icon on a 24 × 24 grid, stroked. */
const SHAPES: Record<IconName, ReactNode> = {
  scope: <path d="M3 7.5A1.5 1.5 0 0 1 4.5 6H9l2 2h8.5A1.5 1.5 0 0 1 21 9.5v8a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z" />,
  jobnet: (
    <>
      <rect x="3" y="3.5" width="6" height="5" rx="1" />
      <rect x="15" y="3.5" width="6" height="5" rx="1" />
      <rect x="9" y="15.5" width="6" height="5" rx="1" />
      <path d="M6 8.5V12h12V8.5M12 12v3.5" />
    </>
  ),
  job: (
    <>
      <rect x="4" y="4" width="16" height="16" rx="2" />
      <path d="M10 8.5v7l5.5-3.5z" />
    </>
  ),
  server: (
    <>
      <rect x="4" y="4" width="16" height="6.5" rx="1.2" />
      <rect x="4" y="13.5" width="16" height="6.5" rx="1.2" />
      <path d="M7.5 7.25h.01M7.5 16.75h.01M11 7.25h5M11 16.75h5" />
    </>
  ),
  database: (
    <>
      <ellipse cx="12" cy="6" rx="7" ry="2.5" />
      <path d="M5 6v12c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5V6M5 12c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5" />
    </>
  ),
  network: (
    <>
      <circle cx="12" cy="5" r="2.2" />
      <circle cx="5" cy="18" r="2.2" />
      <circle cx="19" cy="18" r="2.2" />
      <path d="M11 7 6 16M13 7l5 9M7.2 18h9.6" />
    </>
  ),
  calendar: (
    <>
      <rect x="3.5" y="5" width="17" height="15" rx="1.5" />
      <path d="M3.5 10h17M8 3v4M16 3v4M8 14h2M14 14h2M8 17h2" />
    </>
  ),
  file: (
    <>
      <path d="M6 3h8l4 4v14H6z" />
      <path d="M14 3v4h4M9 12h6M9 15.5h6" />
    </>
  ),
  mail: (
    <>
      <rect x="3" y="5.5" width="18" height="13" rx="1.5" />
      <path d="m3.5 6.5 8.5 7 8.5-7" />
    </>
  ),
  cloud: <path d="M7 18.5a4.5 4.5 0 0 1-.6-8.96A6 6 0 0 1 17.9 8.6 4.5 4.5 0 0 1 17 18.5z" />,
};

/** The icon an item shows: its own, or its kind's default for a name the View does not know. */
export function iconOf(icon: unknown, kind: 'scope' | 'object'): IconName {
  return isIcon(icon) ? icon : kind === 'scope' ? DEFAULT_SCOPE_ICON : DEFAULT_OBJECT_ICON;
}

/**
 * One icon. Decorative (hidden from assistive technology) unless it has a title;
 * a name the View does not know is drawn as the scope icon rather than not at all.
 */
export function Icon({ name, size = 20, title, className }: { name: string; size?: number; title?: string; className?: string }) {
  const shape = SHAPES[isIcon(name) ? name : DEFAULT_SCOPE_ICON];
  return (
    <svg
      className={className}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.7}
      strokeLinecap="round"
      strokeLinejoin="round"
      role={title ? 'img' : undefined}
      aria-hidden={title ? undefined : true}
      aria-label={title}
      focusable="false"
      data-icon={isIcon(name) ? name : DEFAULT_SCOPE_ICON}
    >
      {title && <title>{title}</title>}
      {shape}
    </svg>
  );
}
