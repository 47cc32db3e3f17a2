// A wall display's settings, set by an admin for each enrolled screen: one
// schema for the API's edge, the store (kept as JSON text, checked again when
// read) and the View that renders the screen.
import { z } from 'zod';
import { says } from '../input';
import { SUMMARY_CLASSES, type SummaryClass } from './status';
import { isTimeZone } from './time-zone';
import { LANGS } from './words';

export const TILE_DENSITIES = ['comfortable', 'compact'] as const;
export type TileDensity = (typeof TILE_DENSITIES)[number];

export const MIN_INTERVAL_SECONDS = 5;
export const MAX_INTERVAL_SECONDS = 3600;

const seconds = (field: string) =>
  z
    .number(says(`${field} must be a number of seconds`, `${field} は秒数です`))
    .int(says(`${field} must be whole seconds`, `${field} は整数の秒数です`))
    .min(MIN_INTERVAL_SECONDS, says(`${field} is at least ${MIN_INTERVAL_SECONDS} seconds`, `${field} は ${MIN_INTERVAL_SECONDS} 秒以上です`))
    .max(MAX_INTERVAL_SECONDS, says(`${field} is at most ${MAX_INTERVAL_SECONDS} seconds`, `${field} は ${MAX_INTERVAL_SECONDS} 秒以下です`));

const classList = SUMMARY_CLASSES.join(', ');

/** Each setting as given, without defaults: PATCH takes any of them alone. */
const settingFields = {
  /** Rotate through the child scopes of the display's scope, one at a time. */
  rotate: z.boolean(says('rotate is true or false', 'rotate は true か false です')),
  /** How long each child scope shows when rotating. */
  rotateSeconds: seconds('rotateSeconds'),
  /** How long each page of tiles shows when they do not fit on one. */
  pageSeconds: seconds('pageSeconds'),
  density: z.enum(TILE_DENSITIES, says(`density is ${TILE_DENSITIES.join(' or ')}`, `density は ${TILE_DENSITIES.join(' か ')} です`)),
  /** The summary classes shown: kept in the table's order, each once. */
  classes: z
    .array(z.enum(SUMMARY_CLASSES, says(`classes are summary classes among ${classList}`, `classes は集計区分 ${classList} から選びます`)), says('classes is a list of summary classes', 'classes は集計区分のリストです'))
    .min(1, says('show at least one summary class', '集計区分を 1 つ以上選んでください'))
    .max(SUMMARY_CLASSES.length * 2)
    .transform((chosen) => SUMMARY_CLASSES.filter((c) => chosen.includes(c)) as SummaryClass[]),
  /** The clock's IANA time zone; null: the screen's own. */
  timeZone: z
    .string(says('timeZone is an IANA time zone name such as Asia/Tokyo, or null', 'timeZone は Asia/Tokyo のような IANA のタイムゾーン名か null です'))
    .max(64, says('timeZone is longer than 64 characters', 'timeZone が 64 文字を超えています'))
    .refine(isTimeZone, says('timeZone is not a time zone this console knows (an IANA name such as Asia/Tokyo)', 'timeZone はこのコンソールが知らないタイムゾーンです (Asia/Tokyo のような IANA の名前)'))
    .nullable(),
  language: z.enum(LANGS, says(`language is ${LANGS.join(' or ')}`, `language は ${LANGS.join(' か ')} です`)),
};

export const DEFAULT_DISPLAY_SETTINGS = {
  rotate: false,
  rotateSeconds: 30,
  pageSeconds: 15,
  density: 'comfortable',
  classes: [...SUMMARY_CLASSES],
  timeZone: null,
  language: 'en',
} as const satisfies Record<keyof typeof settingFields, unknown>;

/** A display's whole settings; what is not given takes its default. */
export const displaySettingsSchema = z.strictObject({
  rotate: settingFields.rotate.default(DEFAULT_DISPLAY_SETTINGS.rotate),
  rotateSeconds: settingFields.rotateSeconds.default(DEFAULT_DISPLAY_SETTINGS.rotateSeconds),
  pageSeconds: settingFields.pageSeconds.default(DEFAULT_DISPLAY_SETTINGS.pageSeconds),
  density: settingFields.density.default(DEFAULT_DISPLAY_SETTINGS.density),
  classes: settingFields.classes.default([...DEFAULT_DISPLAY_SETTINGS.classes]),
  timeZone: settingFields.timeZone.default(DEFAULT_DISPLAY_SETTINGS.timeZone),
  language: settingFields.language.default(DEFAULT_DISPLAY_SETTINGS.language),
});
export type DisplaySettings = z.output<typeof displaySettingsSchema>;

/** A change of some settings: each field optional, none defaulted, so a missing one stays as it is. */
export const displaySettingsChangesSchema = z.strictObject(settingFields).partial();
export type DisplaySettingsChanges = z.output<typeof displaySettingsChangesSchema>;

/** Settings as stored (JSON text): checked again, and filled with the defaults of settings added since. */
export function readDisplaySettings(stored: string): DisplaySettings {
  let raw: unknown;
  try {
    raw = JSON.parse(stored);
  } catch {
    raw = {};
  }
  const parsed = displaySettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : displaySettingsSchema.parse({});
}
