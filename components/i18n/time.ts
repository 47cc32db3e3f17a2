// Times in the operator's own time zone (the browser's), 24-hour clock as
// operators read logs; the date is added when it is not today.

const timeFormat = () => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const dateFormat = () => new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit' });

export function formatClock(when: number | string | Date, now: Date = new Date()): string {
  const d = new Date(when);
  if (Number.isNaN(d.getTime())) return '';
  const sameDay = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return sameDay ? timeFormat().format(d) : `${dateFormat().format(d)} ${timeFormat().format(d)}`;
}
