// What the manager's live hub knows of every unit and monitoring object, in
// memory: the latest run of each unit (as committed and published), the status
// tree that derives each object's status from the units below it, and which
// business scopes each unit shows in. Subscriptions are answered from here, not
// from the store, and each scope's subscribers get only its units
// (docs/architecture.md, "Live path").
import { pathsUp } from '../domain/unit-path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Store } from '../store/db';
import { storeDriver } from '../store/driver';
import { StatusTree, type UnitEntry } from '../domain/derive';
import { unitEntryOf, unitKey, type ObjectEntry, type UnitState, type UnitsDelta } from '../domain/live';
import { unitStateFromRow, type StoredUnit } from '../feed/apply';

interface ObjectDef {
  scopeId: number;
  host: string;
  unit: string;
}


// A console's units are most of what a manager's memory grows with (docs/architecture.md,
// "Memory"), so the index keeps each compactly:
// - by a flat key, one string shared by the units and the objects' lists (a template literal
//   would keep a concatenation and its two parts);
// - with the few strings that repeat across units (host, status, node, reason, who acknowledged)
//   shared, not one copy per unit as a feed's JSON or a store row gives them;
// - as its state until a snapshot encodes it, then as that JSON instead of the state: a unit's
//   state is replaced, never changed, so a snapshot encoded again later costs the units that
//   changed, not all of them, and a unit is never held twice.
const keyOf = (host: string, unit: string) => [host, unit].join('\u0000');
const hostOfKey = (key: string) => key.slice(0, key.indexOf('\u0000'));
const unitOfKey = (key: string) => key.slice(key.indexOf('\u0000') + 1);

/** A unit as the index keeps it: its state, or its JSON once a snapshot has needed that. */
type Kept = UnitState | string;
const stateOf = (kept: Kept): UnitState => (typeof kept === 'string' ? (JSON.parse(kept) as UnitState) : kept);

/** Strings shared across units; bounded, so that a feed of ever new values cannot grow it without end. */
const MAX_SHARED = 10_000;
const shared = new Map<string, string>();
function share<T extends string | null>(value: T): T {
  if (value === null) return value;
  const known = shared.get(value);
  if (known !== undefined) return known as T;
  if (shared.size < MAX_SHARED) shared.set(value, value);
  return value;
}

/** The state to keep: the same fields in the same order (so the same JSON), its repeated strings shared. */
function compact(u: UnitState): UnitState {
  return {
    host: share(u.host), unit: u.unit, status: share(u.status), runId: u.runId, execId: u.execId, startSeq: u.startSeq,
    startedAt: u.startedAt, endedAt: u.endedAt, exitCode: u.exitCode, node: share(u.node), reason: share(u.reason),
    ack: u.ack ? { by: share(u.ack.by), at: u.ack.at, comment: u.ack.comment } : null,
  };
}

const gzip = promisify(zlib.gzip);

const sameEntry = (a: UnitEntry | undefined, b: UnitEntry) =>
  !!a && a.status === b.status && a.runId === b.runId && a.startSeq === b.startSeq && a.acknowledged === b.acknowledged;

/**
 * A subscription's part of the index as of a version: `units()` decoded anew at each call (for
 * small snapshots), `gzipped()` its units and objects as gzip-compressed UTF-8 JSON, made once.
 */
export interface IndexSnapshot {
  version: number;
  unitCount: number;
  units(): UnitState[];
  objects: ObjectEntry[];
  gzipped(): Promise<Buffer>;
}

/**
 * How long a snapshot made is kept for others asking at the same version: long enough for the
 * screens that reconnect together after a failover, not for hours of a quiet console, where its
 * buffer (tens of MB for every unit) would only take memory.
 */
const SNAPSHOT_KEEP_MS = 10_000;

export class StatusIndex {
  private units = new Map<string, Kept>();
  private tree = new StatusTree();
  /** Objects by the (host, unit) they name. */
  private objects = new Map<string, ObjectDef[]>();
  private parents = new Map<number, number | null>();
  private watched = new Set<string>();
  /** Each object unit's entry as last sent. */
  private entries = new Map<string, UnitEntry>();
  /** The scopes, with their ancestors, an object unit shows in; computed as needed, dropped when definitions change. */
  private scopesOfObject = new Map<string, Set<number>>();
  /** The hosts of each scope's objects (a wall display hears of those only); computed as needed, dropped when definitions change. */
  private hostsOfScopes = new Map<number, Set<string>>();
  /** The keys of the units at and below each object unit: a scope's snapshot costs what it holds, not the whole console. */
  private unitsOfObject = new Map<string, string[]>();
  /** The last snapshot made, per subscription, while the version and definitions stay: many screens subscribing at once share it. */
  private snapshots = new Map<string, { snapshot: IndexSnapshot; expiry: NodeJS.Timeout }>();
  /** Store version of the state held: the last delta applied. */
  version = 0;
  /** Told of work that leaves garbage, in units: deltas applied, units read again, a snapshot let go. */
  worked: (units: number) => void = () => {};

  /** Everything the store holds, as of one version. */
  static async load(store: Store): Promise<StatusIndex> {
    const index = new StatusIndex();
    await index.reload(store);
    return index;
  }

  /** Reads units and definitions again, in one transaction: after the hosts or objects changed. */
  async reload(store: Store): Promise<void> {
    const loaded = await storeDriver(store).transaction(async (sql) => {
      const [meta] = await sql.rows<{ version: number }>('SELECT "version" FROM "StoreMeta" WHERE "id" = 1');
      const units = await sql.rows<StoredUnit>(
        'SELECT "host", "path", "status", "runId", "execId", "startSeq", "startedAt", "endedAt", "exitCode", "node", "reason", "ackBy", "ackAt", "ackComment" FROM "Unit"',
      );
      const objects = await sql.rows<ObjectDef>('SELECT "scopeId", "host", "unit" FROM "MonitoringObject"');
      const scopes = await sql.rows<{ id: number; parentId: number | null }>('SELECT "id", "parentId" FROM "Scope"');
      return { version: meta.version, units, objects, scopes };
    });
    this.worked(this.units.size + loaded.units.length);
    this.units = new Map();
    this.tree = new StatusTree();
    this.put(loaded.units.map(unitStateFromRow));
    this.define(loaded.objects, loaded.scopes);
    this.version = loaded.version;
  }

  /**
   * Reads the definitions again; all of it when the watched hosts changed (a host's units may be
   * gone). Returns whether it read all of it: the units and the version are then the store's.
   */
  async refresh(store: Store): Promise<boolean> {
    const objects = await store.monitoringObject.findMany({ select: { scopeId: true, host: true, unit: true } });
    const scopes = await store.scope.findMany({ select: { id: true, parentId: true } });
    if (!this.define(objects, scopes)) return false;
    await this.reload(store);
    return true;
  }

  /** Takes new definitions (objects and scopes); units stay. Returns whether the watched hosts changed. */
  define(objects: readonly ObjectDef[], scopes: readonly { id: number; parentId: number | null }[]): boolean {
    const before = [...this.watched].sort().join('\u0000');
    this.objects = new Map();
    for (const o of objects) {
      const key = unitKey(o.host, o.unit);
      this.objects.set(key, [...(this.objects.get(key) ?? []), o]);
    }
    this.parents = new Map(scopes.map((s) => [s.id, s.parentId]));
    this.watched = new Set(objects.map((o) => o.host));
    this.scopesOfObject.clear();
    this.hostsOfScopes.clear();
    for (const cacheKey of [...this.snapshots.keys()]) this.letGo(cacheKey);
    this.unitsOfObject = new Map([...this.objects.keys()].map((key) => [key, []]));
    for (const key of this.units.keys()) this.coverUnit(key);
    this.entries = new Map([...this.objects.keys()].map((key) => [key, this.entryOfKey(key)]));
    return before !== [...this.watched].sort().join('\u0000');
  }

  /** Whether a scope is `ancestor` or below it. */
  scopeWithin(id: number, ancestor: number): boolean {
    for (let at: number | null | undefined = id, hops = 0; at !== null && at !== undefined && hops <= this.parents.size; at = this.parents.get(at), hops++) {
      if (at === ancestor) return true;
    }
    return false;
  }

  /** Whether a scope exists (a subscription names one). */
  hasScope(id: number): boolean {
    return this.parents.has(id);
  }

  /**
   * Takes a delta that follows on from the version held (the hub's coalescer sends
   * them in order); returns the object entries it changed.
   */
  apply(delta: UnitsDelta): ObjectEntry[] {
    if (delta.version <= this.version) return []; // already in what was loaded
    this.worked(delta.units.length);
    this.put(delta.units);
    this.version = Math.max(this.version, delta.version);
    const changed: ObjectEntry[] = [];
    const seen = new Set<string>();
    for (const u of delta.units) {
      for (const path of pathsUp(u.unit)) {
        const key = unitKey(u.host, path);
        if (seen.has(key) || !this.objects.has(key)) continue;
        seen.add(key);
        const entry = this.entryOfKey(key);
        if (sameEntry(this.entries.get(key), entry)) continue;
        this.entries.set(key, entry);
        changed.push({ host: u.host, unit: path, ...entry });
      }
    }
    return changed;
  }

  /**
   * Units of the watched hosts, or of the objects in a scope and the scopes below it; and every
   * object's entry, or with `scopeObjectsOnly` (a wall display's) only those of that scope and below.
   */
  snapshot(scope: number | null, withUnits = true, scopeObjectsOnly = false): IndexSnapshot {
    const cacheKey = scopeObjectsOnly ? `objects of ${scope}` : `${withUnits ? scope : 'none'}`;
    const held = this.snapshots.get(cacheKey);
    if (held?.snapshot.version === this.version) return held.snapshot;
    this.letGo(cacheKey);
    const keys: string[] = [];
    if (withUnits && scope === null) {
      for (const key of this.units.keys()) if (this.watched.has(hostOfKey(key))) keys.push(key);
    } else if (withUnits) {
      const seen = new Set<string>();
      for (const objectKey of this.objects.keys()) {
        if (!this.scopesOf(objectKey)?.has(scope!)) continue;
        for (const key of this.unitsOfObject.get(objectKey) ?? []) {
          if (seen.has(key)) continue;
          seen.add(key);
          keys.push(key);
        }
      }
    }
    const kept = keys.map((key) => this.units.get(key)!);
    const objects: ObjectEntry[] = [];
    for (const [key, entry] of this.entries) {
      if (scopeObjectsOnly && !this.scopesOf(key)?.has(scope!)) continue;
      const [host, unit] = key.split('\u0000');
      objects.push({ host, unit, ...entry });
    }
    let gzipped: Promise<Buffer> | undefined;
    // Compressed off the event loop (zlib's thread), at its fastest level: a tenth of the size already.
    const compress = () => gzip(Buffer.from(`{"units":[${kept.map((k, i) => this.jsonOf(keys[i], k)).join(',')}],"objects":${JSON.stringify(objects)}}`), { level: 1 });
    const made: IndexSnapshot = { version: this.version, unitCount: kept.length, units: () => kept.map(stateOf), objects, gzipped: () => (gzipped ??= compress()) };
    this.snapshots.set(cacheKey, { snapshot: made, expiry: this.expire(cacheKey) });
    return made;
  }

  /** The timer that lets a snapshot go; made here, apart from the snapshot's closures, so that it does not hold them. */
  private expire(cacheKey: string): NodeJS.Timeout {
    return setTimeout(() => this.letGo(cacheKey), SNAPSHOT_KEEP_MS).unref();
  }

  private letGo(cacheKey: string): void {
    const held = this.snapshots.get(cacheKey);
    if (!held) return;
    clearTimeout(held.expiry);
    this.snapshots.delete(cacheKey);
    this.worked(held.snapshot.unitCount);
  }

  /** Whether an object (by the unit it names) shows in a scope or one below it. */
  objectInScope(host: string, unit: string, scope: number): boolean {
    return this.scopesOf(unitKey(host, unit))?.has(scope) ?? false;
  }

  /** The hosts of the objects in a scope and the scopes below it (a wall display's); computed once per definitions. */
  hostsOfScope(scope: number): Set<string> {
    let hosts = this.hostsOfScopes.get(scope);
    if (hosts) return hosts;
    hosts = new Set();
    for (const [key, objects] of this.objects) if (this.scopesOf(key)?.has(scope)) for (const o of objects) hosts.add(o.host);
    this.hostsOfScopes.set(scope, hosts);
    return hosts;
  }

  /** Whether a unit shows in a subscription: null is every watched host's units. */
  shows(u: UnitState, scope: number | null): boolean {
    if (scope === null) return this.watched.has(u.host);
    return pathsUp(u.unit).some((path) => this.scopesOf(unitKey(u.host, path))?.has(scope));
  }

  private put(units: readonly UnitState[]): void {
    for (const u of units) {
      const key = keyOf(u.host, u.unit);
      // A unit already held keeps its key (Map.set keeps the first); a new one is added to its objects.
      if (!this.units.has(key)) this.coverUnit(key);
      this.units.set(key, compact(u));
    }
    this.tree.setMany(units.map((u) => ({ host: u.host, unit: u.unit, entry: unitEntryOf(u) })));
  }

  /** A unit's JSON; made once, and kept instead of its state while the unit stays as it is. */
  private jsonOf(key: string, kept: Kept): string {
    if (typeof kept === 'string') return kept;
    const json = JSON.stringify(kept);
    if (this.units.get(key) === kept) this.units.set(key, json);
    return json;
  }

  /** Adds a unit to the objects naming it or a jobnet above it. */
  private coverUnit(key: string): void {
    const host = hostOfKey(key);
    for (const path of pathsUp(unitOfKey(key))) this.unitsOfObject.get(unitKey(host, path))?.push(key);
  }

  private entryOfKey(key: string): UnitEntry {
    const [host, unit] = key.split('\u0000');
    return this.tree.get(host, unit);
  }

  /** The scopes (and their ancestors) of the objects naming this unit; undefined when none does. */
  private scopesOf(objectKey: string): Set<number> | undefined {
    const objects = this.objects.get(objectKey);
    if (!objects) return undefined;
    let scopes = this.scopesOfObject.get(objectKey);
    if (scopes) return scopes;
    scopes = new Set();
    for (const o of objects) {
      for (let id: number | null | undefined = o.scopeId; id !== null && id !== undefined && !scopes.has(id); id = this.parents.get(id)) scopes.add(id);
    }
    this.scopesOfObject.set(objectKey, scopes);
    return scopes;
  }
}
