// The preview of what a display shows, for a signed-in admin: /display/preview with its
// scope and its settings in the address, as components/display/wall-settings.ts reads them.
import { SUMMARY_CLASSES } from '../../server/domain/status';
import type { DisplayEntry } from './use-displays';

/** Null for a display whose scope was deleted: there is nothing to preview until it is moved. */
export function previewHref(display: Pick<DisplayEntry, 'scope' | 'settings'>): string | null {
  if (!display.scope) return null;
  const s = display.settings;
  const params = new URLSearchParams({ scope: String(display.scope.id), density: s.density, page: String(s.pageSeconds) });
  if (s.rotate) {
    params.set('rotate', '1');
    params.set('rotateSeconds', String(s.rotateSeconds));
  }
  if (s.classes.length < SUMMARY_CLASSES.length) params.set('classes', s.classes.join(','));
  if (s.timeZone) params.set('tz', s.timeZone);
  params.set('lang', s.language);
  return `/display/preview?${params}`;
}
