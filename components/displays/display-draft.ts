// A display's settings as its form holds them (seconds and the time zone as typed), and
// back to what the API takes: all of them to enrol, only what changed to edit. The server
// checks everything; these only carry what was typed there.
import type { z } from 'zod';
import { SUMMARY_CLASSES, type SummaryClass } from '../../server/domain/status';
import type { DisplaySettings, DisplaySettingsChanges } from '../../server/domain/display-settings';
import type { DisplayEntry, displayChangesSchema, newDisplaySchema } from '../../server/displays/displays';

/** What the enrol form sends; with no scope chosen, the server asks for one beside the field. */
export type NewDisplay = Omit<z.input<typeof newDisplaySchema>, 'scopeId'> & { scopeId: number | undefined };
export type DisplayChanges = z.input<typeof displayChangesSchema>;

export type SettingsDraft = Omit<DisplaySettings, 'rotateSeconds' | 'pageSeconds' | 'timeZone'> & {
  rotateSeconds: string;
  pageSeconds: string;
  /** Empty: the screen's own time zone. */
  timeZone: string;
};

export function draftOf(settings: DisplaySettings): SettingsDraft {
  return { ...settings, classes: [...settings.classes], rotateSeconds: String(settings.rotateSeconds), pageSeconds: String(settings.pageSeconds), timeZone: settings.timeZone ?? '' };
}

/** Seconds as typed; what is not a number goes as one that the server refuses by its field (NaN is sent as null). */
const secondsOf = (typed: string): number => (typed.trim() === '' ? NaN : Number(typed.trim()));

export function settingsOf(draft: SettingsDraft): DisplaySettings {
  return { ...draft, rotateSeconds: secondsOf(draft.rotateSeconds), pageSeconds: secondsOf(draft.pageSeconds), timeZone: draft.timeZone.trim() || null };
}

/** A class ticked or unticked, the list kept in the table's order. */
export function toggleClass(classes: readonly SummaryClass[], summaryClass: SummaryClass, shown: boolean): SummaryClass[] {
  return SUMMARY_CLASSES.filter((c) => (c === summaryClass ? shown : classes.includes(c)));
}

const sameSetting = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : Object.is(a, b));

/** What the edit dialog sends: each field and each setting only when it differs from the display as listed. */
export function changesOf(display: DisplayEntry, edited: { name: string; scopeId: number | undefined; settings: SettingsDraft }): DisplayChanges {
  const changes: DisplayChanges = {};
  if (edited.name.trim() !== display.name) changes.name = edited.name;
  if (edited.scopeId !== display.scope?.id) changes.scopeId = edited.scopeId;
  const wanted = settingsOf(edited.settings);
  const settings: DisplaySettingsChanges = {};
  for (const key of Object.keys(wanted) as (keyof DisplaySettings)[]) {
    if (!sameSetting(wanted[key], display.settings[key])) Object.assign(settings, { [key]: wanted[key] });
  }
  if (Object.keys(settings).length > 0) changes.settings = settings;
  return changes;
}
