// How `jobscope exec` judges a finished command (docs/architecture.md, "Units, runs and statuses").
import type { Status } from './status';

export interface Thresholds {
  /** Codes above this (and not above abendAbove) end with a warning. */
  warningAbove?: number;
  /** Codes above this end abnormally. */
  abendAbove?: number;
}

export type Outcome =
  | { kind: 'exited'; code: number }
  | { kind: 'signalled'; signal: string }
  | { kind: 'not-started'; error: string };

export function judge(outcome: Outcome, t: Thresholds = {}): Status {
  if (outcome.kind === 'not-started') return 'FAIL';
  if (outcome.kind === 'signalled') return 'KILL';
  const code = outcome.code;
  if (code === 0) return 'NORMAL';
  if (t.warningAbove === undefined && t.abendAbove === undefined) return 'ABNORMAL';
  if (t.abendAbove !== undefined && code > t.abendAbove) return 'ABNORMAL';
  if (t.warningAbove !== undefined && code > t.warningAbove) return 'WARNING';
  return 'NORMAL';
}

export function checkThresholds(t: Thresholds): string | null {
  for (const [name, v] of Object.entries(t)) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) return `${name} must be a whole number of 0 or more`;
  }
  if (t.warningAbove !== undefined && t.abendAbove !== undefined && t.warningAbove >= t.abendAbove) {
    return '--warning-above must be lower than --abend-above';
  }
  return null;
}
