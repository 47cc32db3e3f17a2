// Unit full names: an optional scheduler service, then an absolute path.
//   /Billing/Daily/extract      AJSROOT1:/Billing/Daily
// Paths create their parents implicitly, so a name is also the list of its ancestors.
import { words, type Words } from './words';

export interface UnitName {
  service: string | null;
  segments: string[];
}

const SERVICE = /^[A-Za-z][A-Za-z0-9_]{0,29}$/;
const MAX_SEGMENT = 64;
// Letters of any script (with their combining marks), digits, space, the Japanese middle dot and
// a few marks; never a separator, quote, or control.
const SEGMENT = /^[\p{L}\p{M}\p{N}_\-.@#+()[\] \u30fb]{1,64}$/u;
// The same for the ASCII names most are, tried first: compiling SEGMENT's Unicode classes costs
// `jobscope exec` (run for every job) a millisecond.
const ASCII_SEGMENT = /^[A-Za-z0-9_\-.@#+()[\] ]{1,64}$/;
const MAX_LENGTH = 512;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: Words };
const refused = (en: string, ja: string): { ok: false; error: Words } => ({ ok: false, error: words(en, ja) });

export function parseUnitName(text: string): Parsed<UnitName> {
  if (typeof text !== 'string' || text.length === 0) return refused('unit name is empty', 'ユニット名が空です');
  if (text.length > MAX_LENGTH) return refused(`unit name is longer than ${MAX_LENGTH} characters`, `ユニット名が ${MAX_LENGTH} 文字を超えています`);
  // A colon names a service only before the path starts; a colon inside the path is a bad character.
  const slash = text.indexOf('/');
  let colon = text.indexOf(':');
  if (slash >= 0 && colon > slash) colon = -1;
  const service = colon >= 0 ? text.slice(0, colon) : null;
  const path = colon >= 0 ? text.slice(colon + 1) : text;
  if (service !== null && !SERVICE.test(service)) {
    return refused(
      `scheduler service "${service}" must be a letter followed by letters, digits or _ (at most 30)`,
      `スケジューラーサービス "${service}" は英字で始まり、英字、数字、_ が続く 30 文字以内の名前です`,
    );
  }
  if (!path.startsWith('/')) return refused('unit path must start with /', 'ユニットのパスは / で始まります');
  const segments = path.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '') return refused('unit path has an empty segment', 'ユニットのパスに空の階層があります');
    if (segment === '.' || segment === '..') return refused('unit path may not contain . or ..', 'ユニットのパスに . や .. は使えません');
    if (segment !== segment.trim()) return refused(`unit name "${segment}" starts or ends with a space`, `ユニット名 "${segment}" の前後に空白があります`);
    if ([...segment].length > MAX_SEGMENT) return refused(`unit name "${segment}" is longer than ${MAX_SEGMENT} characters`, `ユニット名 "${segment}" が ${MAX_SEGMENT} 文字を超えています`);
    if (!ASCII_SEGMENT.test(segment) && !SEGMENT.test(segment)) {
      return refused(
        `unit name "${segment}" has characters other than letters, digits, space and _-.@#+()[]`,
        `ユニット名 "${segment}" に文字、数字、空白、_-.@#+()[] 以外の文字があります`,
      );
    }
  }
  return { ok: true, value: { service, segments } };
}

export function formatUnitName(name: UnitName): string {
  return (name.service ? `${name.service}:` : '') + '/' + name.segments.join('/');
}

/** The tree keys of a unit: the service (if any) is the first level, then each path segment. */
export function treeKeys(name: UnitName): string[] {
  return name.service ? [`${name.service}:`, ...name.segments] : name.segments;
}

/** Normalised form, or throws with the reason: for call sites that already validated at the edge. */
export function canonicalUnit(text: string): string {
  const parsed = parseUnitName(text);
  if (!parsed.ok) throw new Error(parsed.error.en);
  return formatUnitName(parsed.value);
}

/** The unit paths at and above a unit (for "/A/B/c": "/A/B/c", "/A/B", "/A"): objects name one of these. */
export function pathsUp(unit: string): string[] {
  const paths = [unit];
  for (let cut = unit.lastIndexOf('/'); cut > 0; cut = unit.lastIndexOf('/', cut - 1)) {
    const up = unit.slice(0, cut);
    if (!up.endsWith(':')) paths.push(up);
  }
  return paths;
}
