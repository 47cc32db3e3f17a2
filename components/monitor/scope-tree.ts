// Business scopes with what is below them: each monitoring object's status
// from the live unit tree, each scope summarised from its objects and child
// scopes (worst wins, counts add up). Pure, so it can be tested without React.
import { summariseObject, summariseScope, type Summary, type UnitEntry } from '../../server/domain/derive';
import type { Definitions, MonitoringObject, Scope } from '../definitions/types';
import type { HostState } from '../../server/domain/live';

export interface ObjectView {
  object: MonitoringObject;
  summary: Summary;
  host: HostState | undefined;
}

export interface ScopeView {
  scope: Scope;
  depth: number;
  summary: Summary;
  scopes: ScopeView[];
  objects: ObjectView[];
}

export interface LiveLookup {
  entryOf(host: string, unit: string): UnitEntry;
  hostState(name: string): HostState | undefined;
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

export function buildScopeTree(defs: Definitions, live: LiveLookup): { roots: ScopeView[]; total: Summary } {
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
  const build = (scope: Scope, depth: number): ScopeView => {
    seen.add(scope.id);
    const scopes = (childrenOf.get(scope.id) ?? [])
      .filter((c) => !seen.has(c.id))
      .sort(byName)
      .map((c) => build(c, depth + 1));
    const objects = (objectsOf.get(scope.id) ?? []).sort(byName).map((object) => {
      const host = live.hostState(object.host);
      const entry = live.entryOf(object.host, object.unit);
      return { object, host, summary: summariseObject(entry.status, host?.stale ?? false, entry.acknowledged) };
    });
    const summary = summariseScope([...scopes.map((s) => s.summary), ...objects.map((o) => o.summary)]);
    return { scope, depth, summary, scopes, objects };
  };
  const roots = (childrenOf.get(null) ?? []).sort(byName).map((s) => build(s, 0));
  // A cycle of parents has no root: show its members at the top rather than lose them.
  for (const s of defs.scopes) if (!seen.has(s.id)) roots.push(build(s, 0));
  return { roots, total: summariseScope(roots.map((r) => r.summary)) };
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
