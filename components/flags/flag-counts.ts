// Flags rolled up: how many monitoring objects carry each kind of flag, and how many of those
// still wait for someone (a flag not acknowledged). Pure, so the roll-up is tested alone.
import type { FlagKind } from '../../server/domain/expectations/evaluate';
import { FLAG_WORDS } from '../../server/domain/expectations/flag-words';
import type { FlagState } from '../../server/domain/live';

/**
 * Every kind, in the order shown (FLAG_KINDS' order): taken from the names, which name each
 * kind, so that the View does not load the evaluation (its schema and cron parser) for a list.
 */
export const FLAG_KINDS = Object.keys(FLAG_WORDS) as FlagKind[];

export interface FlagCount {
  /** Objects carrying this kind of flag. */
  raised: number;
  /** Of those, objects with one not acknowledged. */
  open: number;
}

export type FlagCounts = Record<FlagKind, FlagCount>;

export const emptyFlagCounts = (): FlagCounts => Object.fromEntries(FLAG_KINDS.map((k) => [k, { raised: 0, open: 0 }])) as FlagCounts;

/** One object's flags as counts: each kind once, however many occurrences raised it. */
export function flagCountsOf(flags: readonly FlagState[]): FlagCounts {
  const counts = emptyFlagCounts();
  for (const kind of FLAG_KINDS) {
    const mine = flags.filter((f) => f.kind === kind);
    if (mine.length === 0) continue;
    counts[kind] = { raised: 1, open: mine.some((f) => f.ack === null) ? 1 : 0 };
  }
  return counts;
}

/** A scope's: the sum of what is below it. */
export function addFlagCounts(all: readonly FlagCounts[]): FlagCounts {
  const sum = emptyFlagCounts();
  for (const counts of all) for (const kind of FLAG_KINDS) {
    sum[kind].raised += counts[kind].raised;
    sum[kind].open += counts[kind].open;
  }
  return sum;
}

export const sameFlagCounts = (a: FlagCounts, b: FlagCounts) => FLAG_KINDS.every((k) => a[k].raised === b[k].raised && a[k].open === b[k].open);

/** Whether any flag waits for someone. */
export const hasOpenFlag = (flags: readonly FlagState[]) => flags.some((f) => f.ack === null);

/** The kinds raised, in FLAG_KINDS' order, each with whether all of its flags were acknowledged. */
export function raisedKinds(flags: readonly FlagState[]): { kind: FlagKind; acknowledged: boolean }[] {
  const counts = flagCountsOf(flags);
  return FLAG_KINDS.filter((k) => counts[k].raised > 0).map((kind) => ({ kind, acknowledged: counts[kind].open === 0 }));
}
