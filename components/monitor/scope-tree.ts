// Business scopes with what is below them: each monitoring object's status
// from the live unit tree, each scope summarised from its objects and child
// scopes (worst wins, counts add up). Pure, so it can be tested without React.
import { summariseObject, summariseScope, type Summary, type UnitEntry } from '../../server/domain/derive';
import { SUMMARY_CLASSES } from '../../server/domain/status';
import type { Definitions, MonitoringObject, Scope } from '../definitions/types';
import type { FlagState, HostState } from '../../server/domain/live';
import { addFlagCounts, flagCountsOf, sameFlagCounts, type FlagCounts } from '../flags/flag-counts';

export interface ObjectView {
  object: MonitoringObject;
  summary: Summary;
  host: HostState | undefined;
  /** The flags raised on it now: on top of its status, never instead of it. */
  flags: readonly FlagState[];
  /** The same as counts: an object's share of its scopes' flag counts. */
  flagCounts: FlagCounts;
}

export interface ScopeView {
  scope: Scope;
  depth: number;
  summary: Summary;
  /** How many objects below it carry each kind of flag. */
  flagCounts: FlagCounts;
  scopes: ScopeView[];
  objects: ObjectView[];
}

export interface LiveLookup {
  entryOf(host: string, unit: string): UnitEntry;
  hostState(name: string): HostState | undefined;
  /** The flags raised on a monitoring object (by id); the same list while they do not change. */
  flagsOf(objectId: number): readonly FlagState[];
}

export interface ScopeTree {
  roots: ScopeView[];
  total: Summary;
  totalFlags: FlagCounts;
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/** The scopes and objects in the order shown: depends on the definitions only, so it is worked out once per definitions. */
interface Layout {
  scope: Scope;
  depth: number;
  scopes: Layout[];
  objects: MonitoringObject[];
}

const layouts = new WeakMap<Definitions, Layout[]>();

function layoutOf(defs: Definitions): Layout[] {
  const known = layouts.get(defs);
  if (known) return known;
  const ids = new Set(defs.scopes.map((s) => s.id));
  const childrenOf = new Map<number | null, Scope[]>();
  for (const s of defs.scopes) {
    // A parent the View does not know (deleted meanwhile) puts the scope at the top, never out of sight.
    const parent = s.parentId !== null && ids.has(s.parentId) && s.parentId !== s.id ? s.parentId : null;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), s]);
  }
  const objectsOf = new Map<number, MonitoringObject[]>();
  for (const o of defs.objects) objectsOf.set(o.scopeId, [...(objectsOf.get(o.scopeId) ?? []), o]);
  const seen = new Set<number>();
  const build = (scope: Scope, depth: number): Layout => {
    seen.add(scope.id);
    const scopes = (childrenOf.get(scope.id) ?? [])
      .filter((c) => !seen.has(c.id))
      .sort(byName)
      .map((c) => build(c, depth + 1));
    return { scope, depth, scopes, objects: (objectsOf.get(scope.id) ?? []).sort(byName) };
  };
  const roots = (childrenOf.get(null) ?? []).sort(byName).map((s) => build(s, 0));
  // A cycle of parents has no root: show its members at the top rather than lose them.
  for (const s of defs.scopes) if (!seen.has(s.id)) roots.push(build(s, 0));
  layouts.set(defs, roots);
  return roots;
}

const sameSummary = (a: Summary, b: Summary) =>
  a.status === b.status && a.stale === b.stale && a.acknowledged === b.acknowledged && SUMMARY_CLASSES.every((k) => a.counts[k] === b.counts[k]);

const sameItems = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The tree of scopes with their live summaries. Given the tree it built last, every object and
 * scope whose view did not change is that same object again, so that a memoised component
 * showing it is left alone: a status change re-renders its tile and the scopes above it, not the page.
 */
export function buildScopeTree(defs: Definitions, live: LiveLookup, previous?: ScopeTree | null): ScopeTree {
  const lastObject = new Map<number, ObjectView>();
  const lastScope = new Map<number, ScopeView>();
  const remember = (views: readonly ScopeView[]) => {
    for (const v of views) {
      lastScope.set(v.scope.id, v);
      for (const o of v.objects) lastObject.set(o.object.id, o);
      remember(v.scopes);
    }
  };
  if (previous) remember(previous.roots);

  const objectView = (object: MonitoringObject): ObjectView => {
    const host = live.hostState(object.host);
    const entry = live.entryOf(object.host, object.unit);
    const summary = summariseObject(entry.status, host?.stale ?? false, entry.acknowledged);
    const flags = live.flagsOf(object.id);
    const last = lastObject.get(object.id);
    if (last && last.object === object && last.host === host && last.flags === flags && sameSummary(last.summary, summary)) return last;
    return { object, host, summary, flags, flagCounts: last?.flags === flags ? last.flagCounts : flagCountsOf(flags) };
  };
  const scopeView = ({ scope, depth, scopes: childLayouts, objects: childObjects }: Layout): ScopeView => {
    const scopes = childLayouts.map(scopeView);
    const objects = childObjects.map(objectView);
    const last = lastScope.get(scope.id);
    if (last && last.scope === scope && last.depth === depth && sameItems(last.scopes, scopes) && sameItems(last.objects, objects)) return last;
    const summary = summariseScope([...scopes.map((s) => s.summary), ...objects.map((o) => o.summary)]);
    const flagCounts = addFlagCounts([...scopes.map((s) => s.flagCounts), ...objects.map((o) => o.flagCounts)]);
    return { scope, depth, summary, flagCounts: last && sameFlagCounts(last.flagCounts, flagCounts) ? last.flagCounts : flagCounts, scopes, objects };
  };
  const roots = layoutOf(defs).map(scopeView);
  if (previous && sameItems(previous.roots, roots)) return previous;
  return { roots, total: summariseScope(roots.map((r) => r.summary)), totalFlags: addFlagCounts(roots.map((r) => r.flagCounts)) };
}

export function findScope(roots: readonly ScopeView[], id: number): ScopeView | undefined {
  for (const r of roots) {
    if (r.scope.id === id) return r;
    const found = findScope(r.scopes, id);
    if (found) return found;
  }
  return undefined;
}

export function findObject(roots: readonly ScopeView[], id: number): ObjectView | undefined {
  for (const r of roots) {
    const found = r.objects.find((o) => o.object.id === id) ?? findObject(r.scopes, id);
    if (found) return found;
  }
  return undefined;
}
