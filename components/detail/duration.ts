// A run's duration and the unit's usual one, as the run history shows them. Pure, tested alone.
import type { Lang } from '../i18n/dictionary';
import type { RunView } from '../../server/runs/runs';

/** How long a run took (ms); null while it has not both started and ended. */
export function runDuration(run: Pick<RunView, 'startedAt' | 'endedAt'>): number | null {
  if (!run.startedAt || !run.endedAt) return null;
  const ms = Date.parse(run.endedAt) - Date.parse(run.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** "1 h 2 min", "3 min 10 s", "42 s", "0.4 s"; in Japanese "1時間2分", "3分10秒", "42秒", "0.4秒". */
export function formatDuration(ms: number, lang: Lang): string {
  const [h, m, s] = lang === 'ja' ? ['時間', '分', '秒'] : [' h', ' min', ' s'];
  const join = (parts: string[]) => parts.join(lang === 'ja' ? '' : ' ');
  if (ms < 10_000) return `${Math.round(ms / 100) / 10}${s}`;
  const seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return join([`${hours}${h}`, ...(minutes ? [`${minutes}${m}`] : [])]);
  if (minutes > 0) return join([`${minutes}${m}`, ...(rest ? [`${rest}${s}`] : [])]);
  return `${rest}${s}`;
}

/** Whether a run took longer than the unit's usual duration (none learned: never). */
export const longerThanUsual = (duration: number | null, learnedMs: number | null) => duration !== null && learnedMs !== null && duration > learnedMs;
