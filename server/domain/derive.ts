// Derived statuses: jobnets from their jobs, monitoring objects from their unit,
// business scopes from everything below them. Pure, shared by Manager and View.
import { isRunning, summaryOf, worst, emptyCounts, type Status, type SummaryCounts } from './status';
import { parseUnitName, treeKeys } from './unit-path';

/** What a node of the unit tree knows: its status and which run it belongs to. */
export interface UnitEntry {
  status: Status;
  runId: string | null;
  /** Feed sequence of the run's start; orders runs of one host. */
  startSeq: number;
  /** Present (true) when someone acknowledged the abnormal end (a jobnet: every abnormal end that counts in it). */
  acknowledged?: true;
}

const isAbnormal = (s: Status) => summaryOf(s) === 'abnormal' || s === 'ABCONT';
const allAcknowledged = (entries: readonly { status: Status; acknowledged?: boolean }[]) => {
  const abnormal = entries.filter((e) => isAbnormal(e.status));
  return abnormal.length > 0 && abnormal.every((e) => e.acknowledged === true);
};

export const NO_STATUS: UnitEntry = { status: 'NONE', runId: null, startSeq: 0 };

/**
 * A jobnet from its children. With run ids, only the children of the newest run
 * count (and jobs run without a run id since it began); without, each child's latest run does. Running wins while anything runs,
 * carrying +Abend or +Warning when a child already ended so; otherwise the worst.
 */
export function deriveJobnet(children: readonly UnitEntry[]): UnitEntry {
  if (children.length === 0) return NO_STATUS;
  let newest: UnitEntry | undefined;
  for (const c of children) if (c.runId !== null && (!newest || c.startSeq > newest.startSeq)) newest = c;
  // A job run by hand (no run id) after the newest run began still counts: it must not hide an abnormal end.
  let runStart = newest ? Infinity : 0;
  if (newest) for (const c of children) if (c.runId === newest.runId && c.startSeq < runStart) runStart = c.startSeq;
  const current = newest ? children.filter((c) => c.runId === newest.runId || (c.runId === null && c.startSeq > runStart)) : children;
  const startSeq = current.reduce((max, c) => Math.max(max, c.startSeq), -Infinity);
  const runId = newest?.runId ?? null;
  const statuses = current.map((c) => c.status);
  const acknowledged = allAcknowledged(current) ? { acknowledged: true as const } : {};
  if (statuses.some(isRunning)) {
    const classes = new Set(statuses.map((s) => (s === 'ABCONT' ? 'abnormal' : s === 'WACONT' ? 'warning' : summaryOf(s))));
    const status: Status = classes.has('abnormal') ? 'ABCONT' : classes.has('warning') ? 'WACONT' : 'RUNNING';
    return { status, runId, startSeq, ...acknowledged };
  }
  return { status: worst(statuses), runId, startSeq, ...acknowledged };
}

// A console holds a node per unit, most of them jobs: a job has no map of children (null), as an
// empty Map would cost more than the rest of its node.
interface Node {
  own: UnitEntry | null;
  derived: UnitEntry;
  children: Map<string, Node> | null;
}

function effective(node: Node): UnitEntry {
  // A status reported for a jobnet itself wins unless its children have news since.
  const hasChildren = node.children !== null && node.children.size > 0;
  if (node.own && (!hasChildren || node.own.startSeq >= node.derived.startSeq)) return node.own;
  return hasChildren ? node.derived : NO_STATUS;
}

function newNode(): Node {
  return { own: null, derived: NO_STATUS, children: null };
}

/**
 * Unit statuses of many hosts as trees. Setting units recomputes only the paths
 * from them to their roots, each node once however many of its children changed,
 * from its direct children.
 */
export class StatusTree {
  private roots = new Map<string, Node>();

  set(host: string, unit: string, entry: UnitEntry | null): void {
    this.setMany([{ host, unit, entry }]);
  }

  setMany(changes: Iterable<{ host: string; unit: string; entry: UnitEntry | null }>): void {
    const dirty = new Map<Node, number>(); // node → depth
    for (const { host, unit, entry } of changes) {
      const parsed = parseUnitName(unit);
      if (!parsed.ok) continue;
      let node: Node | undefined = this.roots.get(host);
      if (!node) this.roots.set(host, (node = newNode()));
      const path = [node];
      for (const key of treeKeys(parsed.value)) {
        node.children ??= new Map();
        let child: Node | undefined = node.children.get(key);
        if (!child) node.children.set(key, (child = newNode()));
        node = child;
        path.push(node);
      }
      node.own = entry;
      path.pop();
      path.forEach((up, depth) => dirty.set(up, depth));
    }
    // Deepest first: a node is derived from children that are already up to date.
    for (const [up] of [...dirty].sort((a, b) => b[1] - a[1])) {
      up.derived = deriveJobnet(up.children ? [...up.children.values()].map(effective).filter((e) => e !== NO_STATUS) : []);
    }
  }

  get(host: string, unit: string): UnitEntry {
    const parsed = parseUnitName(unit);
    if (!parsed.ok) return NO_STATUS;
    let node = this.roots.get(host);
    for (const key of treeKeys(parsed.value)) node = node?.children?.get(key);
    return node ? effective(node) : NO_STATUS;
  }
}

/** What the View shows for a monitoring object or a business scope. */
export interface Summary {
  status: Status;
  stale: boolean;
  /** Every abnormal end below was acknowledged: shown differently, never hidden. */
  acknowledged: boolean;
  counts: SummaryCounts;
}

export function summariseObject(status: Status, stale: boolean, acknowledged?: boolean): Summary {
  const counts = emptyCounts();
  counts[summaryOf(status)]++;
  return { status, stale, acknowledged: acknowledged === true && isAbnormal(status), counts };
}

/** A business scope: the worst status below wins; counts add up; stale if anything below is. */
export function summariseScope(children: readonly Summary[]): Summary {
  const counts = emptyCounts();
  for (const child of children) for (const k of Object.keys(counts) as (keyof SummaryCounts)[]) counts[k] += child.counts[k];
  return {
    status: worst(children.map((c) => c.status)),
    stale: children.some((c) => c.stale),
    acknowledged: allAcknowledged(children),
    counts,
  };
}
