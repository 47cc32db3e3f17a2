// Unit deltas go out to browsers coalesced: at most one message a tick, holding
// the latest state of each unit that changed, stamped with the version of the
// last change it holds and the version before its first. A quiet console sends a
// change at once; a busy one sends one message a tick however many batches it
// committed, so that a hundred screens cost a hundred frames a tick, not a
// hundred per batch. Deltas are sent in version order, so that clients see an
// unbroken chain even when two hosts' batches commit in one order and report in
// the other.
import { unitKey, type UnitState, type UnitsDelta } from '../domain/live';

/** How often coalesced deltas go out at most. */
export const TICK_MS = 100;
/** A delta that does not follow on is held this long for the one missing before it; then sent (clients resynchronise). */
export const GAP_WAIT_MS = 1000;

/**
 * Merges deltas in version order into messages: one while they chain (each one's
 * previous version at most the version reached), held back from the first gap
 * on. Forced (the missing delta waited for long enough), what follows a gap goes
 * out as a message of its own, whose previous version tells clients to resynchronise.
 */
export function mergeDeltas(deltas: readonly UnitsDelta[], lastSent: number | null, force = false): { messages: UnitsDelta[]; held: UnitsDelta[] } {
  const sorted = [...deltas].sort((a, b) => a.version - b.version);
  const messages: UnitsDelta[] = [];
  let current: { prevVersion: number; version: number; units: Map<string, UnitState> } | null = null;
  const finish = () => {
    if (current) messages.push({ version: current.version, prevVersion: current.prevVersion, units: [...current.units.values()] });
  };
  let reached = lastSent;
  let i = 0;
  for (; i < sorted.length; i++) {
    const delta = sorted[i];
    if (reached !== null && delta.version <= reached) continue; // already sent
    const follows = reached === null || delta.prevVersion <= reached;
    if (!follows && !force) break;
    if (!current || !follows) {
      finish();
      current = { prevVersion: follows && reached !== null ? reached : delta.prevVersion, version: delta.version, units: new Map() };
    }
    for (const u of delta.units) current.units.set(unitKey(u.host, u.unit), u);
    current.version = reached = delta.version;
  }
  finish();
  return { messages, held: sorted.slice(i) };
}

/** Collects committed deltas and sends them merged, at most once a tick. */
export class DeltaCoalescer {
  private pending: UnitsDelta[] = [];
  private lastFlush = 0;
  private heldSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private paused = false;

  constructor(
    private send: (delta: UnitsDelta) => void,
    /** The version the state to start from is at (null: the first delta received starts the chain). */
    private lastSent: number | null = null,
    private tickMs = TICK_MS,
    private now: () => number = Date.now,
  ) {}

  add(delta: UnitsDelta): void {
    this.pending.push(delta);
    this.schedule();
  }

  /** Sends nothing until resume(); what is added meanwhile waits. */
  pause(): void {
    this.paused = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Sends again, going on from `version` when that is further: the deltas up to it count as
   * sent, their state having been read whole meanwhile.
   */
  resume(version: number): void {
    this.paused = false;
    const from = Math.max(this.lastSent ?? version, version);
    this.lastSent = from;
    this.pending = this.pending.filter((d) => d.version > from);
    if (this.pending.length > 0) this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.paused) return;
    const wait = Math.max(0, this.lastFlush + this.tickMs - this.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    this.lastFlush = this.now();
    const force = this.heldSince !== null && this.lastFlush - this.heldSince >= GAP_WAIT_MS;
    const { messages, held } = mergeDeltas(this.pending, this.lastSent, force);
    this.pending = held;
    for (const message of messages) {
      this.lastSent = message.version;
      this.send(message);
    }
    this.heldSince = held.length === 0 ? null : (this.heldSince ?? this.lastFlush);
    if (held.length > 0) this.timer = setTimeout(() => this.flush(), this.tickMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
