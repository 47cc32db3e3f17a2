// Wall-clock time in an IANA time zone, with the platform's own zone data
// (Intl, ICU): which local day an instant falls on, and which instant a local
// day and time of day is. Pure; shared by the Manager and the View.

/** A calendar day as written in a zone: "YYYY-MM-DD". */
export type LocalDate = string;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether the platform knows an IANA time zone name (Node and browsers share ICU's list). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// Building a formatter costs far more than using one: one per zone, kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall-clock reading of an instant in a zone, as if that reading were UTC (whole seconds). */
function wallClockMs(zone: string, instantMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(instantMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** The zone's offset from UTC at an instant, in milliseconds (Tokyo: +9 h). */
function offsetMs(zone: string, instantMs: number): number {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  return wallClockMs(zone, wholeSecond) - wholeSecond;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function dateOfUtcMs(ms: number): LocalDate {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function utcMsOfDate(date: LocalDate): number {
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year, month - 1, day);
}

/** Whether a "YYYY-MM-DD" names a real calendar day. */
export function isLocalDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && dateOfUtcMs(utcMsOfDate(text)) === text;
}

/** The day an instant falls on in a zone. */
export function localDateOf(instant: Date, zone: string): LocalDate {
  return dateOfUtcMs(wallClockMs(zone, instant.getTime()));
}

/** A calendar day some days later (or earlier). */
export function addDays(date: LocalDate, days: number): LocalDate {
  return dateOfUtcMs(utcMsOfDate(date) + days * DAY_MS);
}

/**
 * The instant a zone's clocks read `minuteOfDay` minutes past midnight on a day.
 * Across a change of offset it follows the cron rule (Vixie cron, croner's
 * fixed-time jobs): a reading the clocks skip (spring forward) is the first
 * instant after the gap, when the clocks jump; a reading they show twice (fall
 * back) is its first instance.
 */
export function localToInstant(date: LocalDate, minuteOfDay: number, zone: string): Date {
  const wall = utcMsOfDate(date) + minuteOfDay * 60_000;
  // A change of offset near this reading is one of these two; both when the day changes it.
  const offsets = [offsetMs(zone, wall - DAY_MS), offsetMs(zone, wall + DAY_MS)];
  const candidates = [...new Set(offsets.map((o) => wall - o))].sort((a, b) => a - b);
  const shown = candidates.find((instant) => wallClockMs(zone, instant) === wall);
  if (shown !== undefined) return new Date(shown);
  return new Date(firstInstantShowingAfter(zone, wall, candidates[0], candidates[candidates.length - 1]));
}

/** In a gap: the first whole second in (low, high] whose reading is past `wall`, i.e. when the clocks jumped. */
function firstInstantShowingAfter(zone: string, wall: number, low: number, high: number): number {
  let before = low;
  let after = high;
  while (after - before > 1000) {
    const middle = Math.floor((before + after) / 2000) * 1000;
    if (wallClockMs(zone, middle) > wall) after = middle;
    else before = middle;
  }
  return after;
}
