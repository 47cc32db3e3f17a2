// Times in the operator's own time zone (the browser's, or one a wall display was given),
// 24-hour clock as operators read logs; the date is added when it is not today.

// The date's form follows the language on screen (the browser's own variant of it when they agree).
// Formatters are made once per locale: building one costs far more than using it, and a long list
// formats many times a frame.
const formatters = new Map<string, { time: Intl.DateTimeFormat; date: Intl.DateTimeFormat }>();
function formattersFor(locale: string | undefined, timeZone: string | undefined) {
  const key = `${locale ?? ''} ${timeZone ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = {
      time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone }),
      date: new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }),
    };
    formatters.set(key, f);
  }
  return f;
}
const timeFormat = (locale?: string, timeZone?: string) => formattersFor(locale, timeZone).time;
const dateFormat = (locale?: string, timeZone?: string) => formattersFor(locale, timeZone).date;

/** A time, with its date when that is not today's; in `timeZone` (IANA) when given, else the browser's. */
export function formatClock(when: number | string | Date, now: Date = new Date(), locale?: string, timeZone?: string): string {
  const d = new Date(when);
  if (Number.isNaN(d.getTime())) return '';
  const date = dateFormat(locale, timeZone);
  const sameDay = timeZone
    ? date.format(d) === date.format(now)
    : d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? timeFormat(locale, timeZone).format(d) : `${date.format(d)} ${timeFormat(locale, timeZone).format(d)}`;
}

/** The date and the time, whatever the day: the whole of it where the clock may show the time alone. */
export function formatDateTime(when: number | string | Date, locale?: string): string {
  const d = new Date(when);
  if (Number.isNaN(d.getTime())) return '';
  return `${dateFormat(locale).format(d)} ${timeFormat(locale).format(d)}`;
}

/** The locale for dates: the browser's when it speaks the chosen language, else the language itself. */
export function dateLocale(lang: string, browserLanguage: string | undefined): string {
  return browserLanguage?.toLowerCase().startsWith(lang) ? browserLanguage : lang;
}
