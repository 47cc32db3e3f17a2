// Unit full names: an optional scheduler service, then an absolute path.
//   /Billing/Daily/extract      AJSROOT1:/Billing/Daily
// Paths create their parents implicitly, so a name is also the list of its ancestors.

export interface UnitName {
  service: string | null;
  segments: string[];
}

const SERVICE = /^[A-Za-z][A-Za-z0-9_]{0,29}$/;
const MAX_SEGMENT = 64;
// Letters of any script (with their combining marks), digits, space, the Japanese middle dot and
// a few marks; never a separator, quote, or control.
const SEGMENT = /^[\p{L}\p{M}\p{N}_\-.@#+()[\] \u30fb]{1,64}$/u;
const MAX_LENGTH = 512;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseUnitName(text: string): Parsed<UnitName> {
  if (typeof text !== 'string' || text.length === 0) return { ok: false, error: 'unit name is empty' };
  if (text.length > MAX_LENGTH) return { ok: false, error: `unit name is longer than ${MAX_LENGTH} characters` };
  // A colon names a service only before the path starts; a colon inside the path is a bad character.
  const slash = text.indexOf('/');
  let colon = text.indexOf(':');
  if (slash >= 0 && colon > slash) colon = -1;
  const service = colon >= 0 ? text.slice(0, colon) : null;
  const path = colon >= 0 ? text.slice(colon + 1) : text;
  if (service !== null && !SERVICE.test(service)) {
    return { ok: false, error: `scheduler service "${service}" must be a letter followed by letters, digits or _ (at most 30)` };
  }
  if (!path.startsWith('/')) return { ok: false, error: 'unit path must start with /' };
  const segments = path.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '') return { ok: false, error: 'unit path has an empty segment' };
    if (segment === '.' || segment === '..') return { ok: false, error: 'unit path may not contain . or ..' };
    if (segment !== segment.trim()) return { ok: false, error: `unit name "${segment}" starts or ends with a space` };
    if ([...segment].length > MAX_SEGMENT) return { ok: false, error: `unit name "${segment}" is longer than ${MAX_SEGMENT} characters` };
    if (!SEGMENT.test(segment)) {
      return { ok: false, error: `unit name "${segment}" has characters other than letters, digits, space and _-.@#+()[]` };
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
  if (!parsed.ok) throw new Error(parsed.error);
  return formatUnitName(parsed.value);
}
