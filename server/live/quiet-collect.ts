// A full garbage collection once the manager goes quiet after a burst of work (a host's
// backlog ingested, a failover's snapshots encoded). V8 collects as a process allocates, and a
// quiet manager allocates almost nothing: without this, the burst's garbage, the new space grown
// for it and the old space's half-empty pages would stay resident for as long as it stays quiet,
// at times more than its live heap (docs/architecture.md, "Memory").
import inspector from 'node:inspector';

/** Units' worth of work (changed, or in a snapshot let go) that makes a quiet spell worth a collection. */
export const ENOUGH_WORK = 10_000;
/** How long no work must come before collecting. */
export const QUIET_MS = 2_000;

/**
 * A full collection that also compacts the heap and gives its free pages back, as V8 makes when
 * memory runs low: the inspector's, in process (no port is opened), the one Node offers without
 * starting node with --expose-gc. It holds the event loop for about 0.15 s at 100,000 units.
 */
export async function collectGarbage(): Promise<void> {
  const session = new inspector.Session();
  session.connect();
  await new Promise<void>((resolve) =>
    session.post('HeapProfiler.collectGarbage', () =>
      // Not from within the inspector's own callback, which would not return.
      setImmediate(() => {
        session.disconnect();
        resolve();
      }),
    ),
  );
}

/** Collects once no work came for `quietMs` after at least `enough` of it. */
export class QuietCollector {
  private owed = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private collect: () => Promise<void> = collectGarbage,
    private quietMs = QUIET_MS,
    private enough = ENOUGH_WORK,
  ) {}

  /** Work done (units changed, or let go): the quiet spell starts again from now. */
  worked(units: number): void {
    this.owed += units;
    if (this.owed < this.enough) return;
    if (this.timer) {
      this.timer.refresh();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.owed = 0;
      // A collection that cannot run leaves memory as it was, nothing else.
      this.collect().catch(() => {});
    }, this.quietMs);
    this.timer.unref();
  }
}
