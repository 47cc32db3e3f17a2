// The active manager's watch over expectations (docs/architecture.md,
// "Expectations"): it evaluates each object with an expectation when runs of its
// unit change and when its next deadline comes (one timer for all), raises and
// ends flags in the store, and writes a raised flag's notifications to the outbox
// in the same transaction. The store, not this process, says which flags were
// raised: a manager taking over evaluates every object at its start and raises
// only what is not stored yet, so none is lost and none raised (or notified) twice.
import type { Store, Tx } from '../store/db';
import type { Logger } from '../host/log';
import { assertEpoch } from '../store/fence';
import { flagKey, type Evaluation, type Flag, type FlagKind } from '../domain/expectations';
import type { FlagState } from '../domain/live';
import type { ScopedFlags } from '../live/hub';
import { unitKey } from '../domain/live';
import { pathsUp } from '../domain/unit-path';
import { evaluateObject, expectingObjects, unitsUnder, type ExpectingObject } from './evaluation';
import { flagNotifications } from './flag-notifications';

/** Changes of runs are taken in together for this long: a busy feed evaluates an object about once a second. */
const SETTLE_MS = 1000;
/** The timer looks again at least this often (a clock set back or forward, an evaluation that failed). */
const LOOK_AGAIN_MS = 60_000;
/** A timer fires a little after the instant it waits for, never before (`dueAt <= now` must hold). */
const TIMER_SLACK_MS = 5;
/** Flags that ended this long ago are deleted: the schedule view shows two days. */
const KEEP_ENDED_MS = 7 * 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;

export type FlagEnd = 'cleared' | 'expired' | 'withdrawn';

export interface FlagWatchOptions {
  epoch: number;
  consoleHost: string;
  /** A flag due longer ago than this when raised (a console down for hours) notifies nobody, like an old event. */
  notifyMaxAgeMs: number;
  now?: () => Date;
}

export interface FlagWatchHooks {
  /** Objects whose raised flags changed, once committed: each with all its flags now, and its scope. */
  changed(objects: ScopedFlags[]): void;
  /** Notifications were written to the outbox. */
  notified(): void;
  /** An evaluation failed (the store): contained, and the object looked at again soon. */
  failed(err: unknown): void;
}

interface StoredFlag {
  kind: string;
  occurrence: Date;
  dueAt: Date;
  endedAt: Date | null;
  ackBy: string | null;
  ackAt: Date | null;
  ackComment: string | null;
}

/** What an object's flags depend on besides its runs: when it changes, the object is evaluated again. */
const signature = (o: ExpectingObject) => JSON.stringify([o.host, o.unit, o.scopeId, o.name, o.since, o.expectation]);

const keyOfRow = (r: Pick<StoredFlag, 'kind' | 'occurrence'>) => flagKey({ kind: r.kind as FlagKind, occurrence: r.occurrence.toISOString() });

/** What an evaluation changes in the stored flags of its object. */
export function planFlags(stored: readonly StoredFlag[], evaluation: Pick<Evaluation, 'from' | 'flags' | 'occurrences'>) {
  const byKey = new Map(stored.map((r) => [keyOfRow(r), r]));
  const raised = new Map(evaluation.flags.map((f) => [flagKey(f), f]));
  const occurrences = new Set(evaluation.occurrences.map((o) => o.id));
  const raise: Flag[] = [];
  const reopen: Flag[] = [];
  for (const [key, flag] of raised) {
    const row = byKey.get(key);
    if (!row) raise.push(flag);
    // It holds again (an expectation changed back): raised again, not notified again.
    else if (row.endedAt) reopen.push(flag);
  }
  const end: { kind: string; occurrence: Date; reason: FlagEnd }[] = [];
  for (const [key, row] of byKey) {
    if (row.endedAt || raised.has(key)) continue;
    const reason: FlagEnd = row.occurrence < evaluation.from ? 'expired' : occurrences.has(row.occurrence.toISOString()) ? 'cleared' : 'withdrawn';
    end.push({ kind: row.kind, occurrence: row.occurrence, reason });
  }
  return { raise, reopen, end, empty: raise.length + reopen.length + end.length === 0 };
}

const flagState = (r: StoredFlag): FlagState => ({
  kind: r.kind as FlagKind,
  occurrence: r.occurrence.toISOString(),
  dueAt: r.dueAt.toISOString(),
  ack: r.ackBy && r.ackAt ? { by: r.ackBy, at: r.ackAt.toISOString(), comment: r.ackComment ?? '' } : null,
});

export class FlagWatch {
  private objects = new Map<number, ExpectingObject>();
  /** The same, by the unit they watch (host and path): a batch's unit finds its objects by the paths above it. */
  private byUnit = new Map<string, ExpectingObject[]>();
  /** The units each object's runs come from (its own and those below that reported), kept as batches bring new ones. */
  private unitsOf = new Map<number, Set<string>>();
  /** Each object's raised flags, as last committed. */
  private board = new Map<number, FlagState[]>();
  /** When each object must be evaluated next with no new run. */
  private dueAt = new Map<number, number>();
  private dirty = new Set<number>();
  private reloadWanted = true;
  private settle: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private work: Promise<void> = Promise.resolve();
  private stopped = false;
  private prunedAt = 0;
  private lastPassMs = 0;
  private now: () => Date;

  constructor(
    private store: Store,
    private log: Logger,
    private options: FlagWatchOptions,
    private hooks: FlagWatchHooks,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Reads every expectation and evaluates each object: the flags are on the board before the console serves anyone. */
  start(): Promise<void> {
    return this.run();
  }

  /** The definitions changed: every expectation is read again. */
  definitionsChanged(): void {
    this.reloadWanted = true;
    this.soon(0);
  }

  /** Runs of these units changed: the objects watching them (their unit or one above) are evaluated. */
  unitsChanged(units: readonly { host: string; unit: string }[]): void {
    for (const u of units) {
      for (const path of pathsUp(u.unit)) {
        for (const o of this.byUnit.get(unitKey(u.host, path)) ?? []) {
          this.dirty.add(o.id);
          this.unitsOf.get(o.id)?.add(u.unit);
        }
      }
    }
    // Settles at least as long as the last pass took: a feed catching up never keeps the watch busy back to back.
    if (this.dirty.size > 0) this.soon(Math.max(SETTLE_MS, this.lastPassMs));
  }

  /** Evaluates one object now and resolves once its flags are committed and published (an acknowledgement's answer waits for it). */
  refresh(objectId: number): Promise<void> {
    this.dirty.add(objectId);
    return this.run();
  }

  /** The raised flags of every object that has any. */
  flags(): ScopedFlags[] {
    return [...this.board].flatMap(([objectId, flags]) => {
      const object = this.objects.get(objectId);
      return flags.length > 0 && object ? [{ objectId, scopeId: object.scopeId, flags }] : [];
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.settle);
    clearTimeout(this.timer);
    await this.work.catch(() => {});
  }

  private soon(ms: number): void {
    if (this.settle || this.stopped) return;
    this.settle = setTimeout(() => {
      this.settle = undefined;
      this.run().catch(this.hooks.failed);
    }, ms);
  }

  /** One pass at a time: reload if asked, evaluate what is dirty or due, then set the timer. */
  private run(): Promise<void> {
    const pass = this.work.then(() => (this.stopped ? undefined : this.pass()));
    this.work = pass.catch(() => {});
    return pass;
  }

  private async pass(): Promise<void> {
    const began = performance.now();
    try {
      await this.evaluateDue();
    } finally {
      this.lastPassMs = performance.now() - began;
      this.setTimer();
    }
  }

  private async evaluateDue(): Promise<void> {
    if (this.reloadWanted) {
      this.reloadWanted = false;
      await this.reload();
    }
    const now = this.now();
    for (const [id, due] of this.dueAt) if (due <= now.getTime()) this.dirty.add(id);
    const ids = [...this.dirty];
    this.dirty.clear();
    const changed: ScopedFlags[] = [];
    let notified = 0;
    for (const id of ids) {
      const object = this.objects.get(id);
      if (!object) continue;
      try {
        const result = await this.evaluate(object, now);
        notified += result.notified;
        if (result.changed) changed.push({ objectId: id, scopeId: object.scopeId, flags: this.board.get(id) ?? [] });
      } catch (err) {
        this.hooks.failed(err);
        this.dueAt.set(id, now.getTime() + 10_000);
      }
    }
    if (changed.length > 0) this.hooks.changed(changed);
    if (notified > 0) this.hooks.notified();
    await this.prune(now);
  }

  private async reload(): Promise<void> {
    const objects = await expectingObjects(this.store);
    const before = this.objects;
    const gone = [...before.keys()].filter((id) => !objects.some((o) => o.id === id));
    const unitsOf = new Map<number, Set<string>>();
    for (const o of objects) {
      const was = before.get(o.id);
      const sameUnit = was !== undefined && was.host === o.host && was.unit === o.unit;
      unitsOf.set(o.id, sameUnit ? this.unitsOf.get(o.id)! : new Set(await unitsUnder(this.store, o.host, o.unit)));
      // Only what changed is evaluated again: a definitions change elsewhere costs the others nothing.
      if (!was || signature(was) !== signature(o)) this.dirty.add(o.id);
    }
    this.objects = new Map(objects.map((o) => [o.id, o]));
    this.unitsOf = unitsOf;
    this.byUnit = new Map();
    for (const o of objects) {
      const key = unitKey(o.host, o.unit);
      this.byUnit.set(key, [...(this.byUnit.get(key) ?? []), o]);
    }
    for (const id of gone) {
      this.dueAt.delete(id);
      // Told with the scope they were in: a wall display of that scope drops their flags too.
      if ((this.board.get(id)?.length ?? 0) > 0) this.hooks.changed([{ objectId: id, scopeId: before.get(id)!.scopeId, flags: [] }]);
      this.board.delete(id);
    }
    // An object without an expectation now: its raised flags are withdrawn.
    if (gone.length > 0) {
      await this.write((tx) => tx.expectationFlag.updateMany({ where: { objectId: { in: gone }, endedAt: null }, data: { endedAt: this.now(), endReason: 'withdrawn' } }));
    }
  }

  /** Evaluates one object and brings its stored flags in line; writes only when something changes. */
  private async evaluate(object: ExpectingObject, now: Date): Promise<{ changed: boolean; notified: number }> {
    const evaluation = await evaluateObject(this.store, object, now, [...(this.unitsOf.get(object.id) ?? [])]);
    this.dueAt.set(object.id, evaluation.nextDueAt.getTime());
    const relevant = { objectId: object.id, OR: [{ endedAt: null }, { occurrence: { gte: evaluation.from } }] };
    const stored: StoredFlag[] = await this.store.expectationFlag.findMany({ where: relevant });
    let notified = 0;
    let raisedNow = stored.filter((r) => r.endedAt === null);
    if (!planFlags(stored, evaluation).empty) {
      raisedNow = await this.write(async (tx) => {
        // Planned again inside the transaction: what is stored now decides (a manager that held the store a moment ago).
        const plan = planFlags(await tx.expectationFlag.findMany({ where: relevant }), evaluation);
        for (const flag of plan.raise) {
          await tx.expectationFlag.create({ data: { objectId: object.id, kind: flag.kind, occurrence: new Date(flag.occurrence), dueAt: flag.dueAt, raisedAt: now } });
          if (now.getTime() - flag.dueAt.getTime() <= this.options.notifyMaxAgeMs) notified += await flagNotifications(tx, object, flag, evaluation, this.options.consoleHost, now);
        }
        for (const flag of plan.reopen) {
          await tx.expectationFlag.update({ where: { objectId_kind_occurrence: { objectId: object.id, kind: flag.kind, occurrence: new Date(flag.occurrence) } }, data: { endedAt: null, endReason: null } });
        }
        for (const e of plan.end) {
          await tx.expectationFlag.update({ where: { objectId_kind_occurrence: { objectId: object.id, kind: e.kind, occurrence: e.occurrence } }, data: { endedAt: now, endReason: e.reason } });
        }
        if (plan.raise.length > 0) this.log.info({ object: object.id, flags: plan.raise.map(flagKey) }, 'expectation flags raised');
        return tx.expectationFlag.findMany({ where: { objectId: object.id, endedAt: null } });
      });
    }
    const flags = raisedNow.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.kind.localeCompare(b.kind)).map(flagState);
    const changed = JSON.stringify(flags) !== JSON.stringify(this.board.get(object.id) ?? []);
    this.board.set(object.id, flags);
    return { changed, notified };
  }

  private write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.store.$transaction(async (tx) => {
      await assertEpoch(tx, this.options.epoch);
      return fn(tx);
    });
  }

  private async prune(now: Date): Promise<void> {
    if (now.getTime() - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now.getTime();
    await this.write((tx) => tx.expectationFlag.deleteMany({ where: { endedAt: { lt: new Date(now.getTime() - KEEP_ENDED_MS) } } }));
  }

  private setTimer(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const now = this.now().getTime();
    const next = Math.min(...this.dueAt.values(), now + LOOK_AGAIN_MS);
    this.timer = setTimeout(() => this.run().catch(this.hooks.failed), Math.max(0, next - now) + TIMER_SLACK_MS);
    this.timer.unref();
  }
}
