// Live unit and host states of one console, kept as a StatusTree so that a
// jobnet's status is derived from its jobs exactly as the manager derives it.
// Plain TypeScript: the resync rules (snapshot, version, gaps, buffering) are
// tested without React or a socket.
import { StatusTree, type UnitEntry } from '../../server/domain/derive';
import { isStatus, type Status } from '../../server/domain/status';
import { unitEntryOf, unitKey, type FlagState, type FlagsDelta, type HostState, type HostsDelta, type ObjectEntry, type ObjectFlags, type Snapshot, type UnitState, type UnitsDelta } from '../../server/domain/live';

export type DeltaResult = 'applied' | 'dropped' | 'buffered' | 'gap';

type Pending = { kind: 'units'; delta: UnitsDelta } | { kind: 'hosts'; delta: HostsDelta } | { kind: 'flags'; delta: FlagsDelta };

/** What an object without flags has: always the same list, so that a view of it stays the same object. */
export const NO_FLAGS: readonly FlagState[] = Object.freeze([]);

export class LiveStore {
  private tree = new StatusTree();
  private units = new Map<string, UnitState>();
  /** Every monitoring object's unit as the manager derives it, whatever units this page subscribed to. */
  private objects = new Map<string, UnitEntry>();
  private hosts = new Map<string, HostState>();
  /** The flags raised on each monitoring object (by id); an object without any is not here. */
  private flags = new Map<number, readonly FlagState[]>();
  private listeners = new Set<() => void>();
  private pending: Pending[] = [];
  private synced = false;
  private _version = -1;
  private _revision = 0;

  /** Store version of the state held; -1 before the first snapshot. */
  get version(): number {
    return this._version;
  }

  /** Changes whenever anything visible changes (for useSyncExternalStore). */
  get revision(): number {
    return this._revision;
  }

  /** True once a snapshot has been applied since the last (re)subscribe. */
  get isSynced(): boolean {
    return this.synced;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getRevision = (): number => this._revision;

  /** A subscribe is on its way: deltas are held until its snapshot arrives. */
  beginSubscribe(): void {
    this.synced = false;
    this.pending = [];
  }

  /**
   * Replaces everything with the snapshot, then replays the deltas that arrived
   * while waiting for it. Returns 'gap' when one of those shows a version the
   * snapshot does not reach, so the caller subscribes again.
   */
  applySnapshot(snapshot: Snapshot): 'applied' | 'gap' {
    this.tree = new StatusTree();
    this.units.clear();
    this.hosts.clear();
    this.objects.clear();
    this.flags.clear();
    this.putFlags(snapshot.flags ?? []);
    this.putUnits(snapshot.units);
    this.putObjects(snapshot.objects ?? []);
    for (const h of snapshot.hosts) this.hosts.set(h.name, h);
    this._version = snapshot.version;
    this.synced = true;
    const pending = this.pending;
    this.pending = [];
    let result: 'applied' | 'gap' = 'applied';
    for (const p of pending) {
      if (p.kind === 'hosts') this.putHosts(p.delta);
      else if (p.kind === 'flags') this.putFlags(p.delta.objects);
      else if (this.applyUnits(p.delta) === 'gap') {
        result = 'gap';
        break;
      }
    }
    this.changed();
    return result;
  }

  receiveUnits(delta: UnitsDelta): DeltaResult {
    if (!this.synced) {
      this.pending.push({ kind: 'units', delta });
      return 'buffered';
    }
    const result = this.applyUnits(delta);
    if (result === 'applied') this.changed();
    return result;
  }

  receiveHosts(delta: HostsDelta): DeltaResult {
    if (!this.synced) {
      this.pending.push({ kind: 'hosts', delta });
      return 'buffered';
    }
    this.putHosts(delta);
    this.changed();
    return 'applied';
  }

  /** Each object's flags replace what it had (an empty list: none now). */
  receiveFlags(delta: FlagsDelta): DeltaResult {
    if (!this.synced) {
      this.pending.push({ kind: 'flags', delta });
      return 'buffered';
    }
    this.putFlags(delta.objects);
    this.changed();
    return 'applied';
  }

  /** The flags raised on a monitoring object now; the same list until they change. */
  flagsOf(objectId: number): readonly FlagState[] {
    return this.flags.get(objectId) ?? NO_FLAGS;
  }

  /** Status of a unit as the tree derives it (a jobnet from its jobs); NONE when nothing is known. */
  statusOf(host: string, unit: string): Status {
    return this.tree.get(host, unit).status;
  }

  /** Status, run and acknowledgement of a unit as the tree derives them (a monitoring object's: as the manager does). */
  entryOf(host: string, unit: string): UnitEntry {
    return this.objects.get(unitKey(host, unit)) ?? this.tree.get(host, unit);
  }

  /** The latest run reported for exactly this unit, if it was reported itself. */
  unitState(host: string, unit: string): UnitState | undefined {
    return this.units.get(unitKey(host, unit));
  }

  /** The latest runs of a unit and of every unit below it, by path. */
  unitsBelow(host: string, unit: string): UnitState[] {
    const found: UnitState[] = [];
    for (const u of this.units.values()) if (u.host === host && (u.unit === unit || u.unit.startsWith(`${unit}/`))) found.push(u);
    return found.sort((a, b) => a.unit.localeCompare(b.unit));
  }

  hostState(name: string): HostState | undefined {
    return this.hosts.get(name);
  }

  private applyUnits(delta: UnitsDelta): DeltaResult {
    if (delta.version <= this._version) return 'dropped';
    // A delta that does not follow on from what we hold means we missed one.
    if (delta.prevVersion > this._version) return 'gap';
    this.putUnits(delta.units);
    this.putObjects(delta.objects ?? []);
    this._version = delta.version;
    return 'applied';
  }

  private putObjects(entries: readonly ObjectEntry[]): void {
    for (const { host, unit, ...entry } of entries) {
      // An unknown status from a newer manager must not break the whole View.
      this.objects.set(unitKey(host, unit), isStatus(entry.status) ? entry : { ...entry, status: 'UNKNOWN' });
    }
  }

  private putUnits(units: readonly UnitState[]): void {
    const entries = units.map((received) => {
      // An unknown status from a newer manager must not break the whole View.
      const u: UnitState = isStatus(received.status) ? received : { ...received, status: 'UNKNOWN' };
      this.units.set(unitKey(u.host, u.unit), u);
      return { host: u.host, unit: u.unit, entry: unitEntryOf(u) };
    });
    this.tree.setMany(entries);
  }

  private putFlags(objects: readonly ObjectFlags[]): void {
    for (const { objectId, flags } of objects) {
      if (flags.length > 0) this.flags.set(objectId, flags);
      else this.flags.delete(objectId);
    }
  }

  private putHosts(delta: HostsDelta): void {
    for (const h of delta.hosts) this.hosts.set(h.name, h);
  }

  private changed(): void {
    this._revision++;
    for (const l of this.listeners) l();
  }
}
