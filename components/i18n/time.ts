// Times in the operator's own time zone (the browser's), 24-hour clock as
// operators read logs; the date is added when it is not today.

// The date's form follows the language on screen (the browser's own variant of it when they agree).
const timeFormat = (locale?: string) => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const dateFormat = (locale?: string) => new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' });

export function formatClock(when: number | string | Date, now: Date = new Date(), locale?: string): string {
  const d = new Date(when);
  if (Number.isNaN(d.getTime())) return '';
  const sameDay = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? timeFormat(locale).format(d) : `${dateFormat(locale).format(d)} ${timeFormat(locale).format(d)}`;
}

/** The locale for dates: the browser's when it speaks the chosen language, else the language itself. */
export function dateLocale(lang: string, browserLanguage: string | undefined): string {
  return browserLanguage?.toLowerCase().startsWith(lang) ? browserLanguage : lang;
}
