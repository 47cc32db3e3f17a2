// One line drawing per icon of the closed list (server/domain/icons.ts): a 24-unit
// square, 1.8-unit strokes in the current colour, round ends, no fill, so that
// every icon reads the same on any status colour.
import type { ReactNode } from 'react';
import { DEFAULT_OBJECT_ICON, DEFAULT_SCOPE_ICON, isIcon, type IconName } from '../../server/domain/icons';

const DRAWINGS: Record<IconName, ReactNode> = {
  // A folder: a business scope holds things.
  scope: <path d="M3 7.5A1.5 1.5 0 0 1 4.5 6H9l2 2h8.5A1.5 1.5 0 0 1 21 9.5v8a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z" />,
  // Three units joined in a flow.
  jobnet: (
    <>
      <rect x="3" y="3.5" width="6" height="5" rx="1" />
      <rect x="15" y="3.5" width="6" height="5" rx="1" />
      <rect x="9" y="15.5" width="6" height="5" rx="1" />
      <path d="M9 6h6M6 8.5v3.5h6v3.5M18 8.5v3.5h-6" />
    </>
  ),
  // A script: a window with a prompt.
  job: (
    <>
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <path d="M7 10l3 2.5L7 15M12.5 15H17" />
    </>
  ),
  server: (
    <>
      <rect x="4" y="3.5" width="16" height="7" rx="1.5" />
      <rect x="4" y="13.5" width="16" height="7" rx="1.5" />
      <path d="M7.5 7h.01M7.5 17h.01M11 7h5.5M11 17h5.5" />
    </>
  ),
  database: (
    <>
      <ellipse cx="12" cy="5.5" rx="7" ry="2.5" />
      <path d="M5 5.5v13c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5v-13M5 12c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5" />
    </>
  ),
  // A hub and its links.
  network: (
    <>
      <circle cx="12" cy="12" r="2.5" />
      <circle cx="4.5" cy="4.5" r="1.8" />
      <circle cx="19.5" cy="4.5" r="1.8" />
      <circle cx="4.5" cy="19.5" r="1.8" />
      <circle cx="19.5" cy="19.5" r="1.8" />
      <path d="M5.8 5.8l4.4 4.4M18.2 5.8l-4.4 4.4M5.8 18.2l4.4-4.4M18.2 18.2l-4.4-4.4" />
    </>
  ),
  calendar: (
    <>
      <rect x="3.5" y="5" width="17" height="15.5" rx="2" />
      <path d="M3.5 10h17M8 3v4M16 3v4M8 14h.01M12 14h.01M16 14h.01M8 17h.01M12 17h.01" />
    </>
  ),
  file: (
    <>
      <path d="M6 3h8l5 5v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1z" />
      <path d="M14 3v5h5M8.5 13h7M8.5 16.5h7" />
    </>
  ),
  mail: (
    <>
      <rect x="3" y="5.5" width="18" height="13" rx="1.5" />
      <path d="M3.5 6.5l8.5 6.5 8.5-6.5" />
    </>
  ),
  cloud: <path d="M7 18.5h10.5a4 4 0 0 0 .6-7.95A6 6 0 0 0 6.6 9.2 4.7 4.7 0 0 0 7 18.5z" />,
};

/** The icon an item shows: its own, or its kind's default for a name the View does not know. */
export function iconOf(icon: unknown, kind: 'scope' | 'object'): IconName {
  return isIcon(icon) ? icon : kind === 'scope' ? DEFAULT_SCOPE_ICON : DEFAULT_OBJECT_ICON;
}

export function MapIcon({ name, size = 28 }: { name: IconName; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      data-icon={name}
    >
      {DRAWINGS[name]}
    </svg>
  );
}
