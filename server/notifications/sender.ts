// Delivers the outbox, at least once, from the active manager only (the one
// holding the store: every write here checks its fencing epoch). Each request
// carries the idempotency key so that receivers can drop repeats; failures are
// retried with exponential backoff.
import type { Store } from '../store/db';
import type { Logger } from '../host/log';
import { assertEpoch } from '../store/fence';

const BATCH = 20;
const TIMEOUT_MS = 5000;
const MAX_BACKOFF_MS = 5 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** Where a webhook goes, without the path or query that may carry its secret. */
const origin = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
};

export class NotificationSender {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private store: Store,
    private epoch: number,
    private log: Logger,
    private onFailure: (err: unknown) => void,
  ) {}

  start(everyMs = 1000): void {
    this.timer = setInterval(() => this.wake(), everyMs);
    this.wake();
  }

  /** Sends what is due now; called after each applied batch too. */
  wake(): void {
    this.running = this.running.then(() => (this.stopped ? undefined : this.sendDue())).catch(this.onFailure);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running.catch(() => {});
  }

  private async sendDue(): Promise<void> {
    const due = await this.store.notification.findMany({
      where: { deliveredAt: null, nextAttemptAt: { lte: new Date() } },
      orderBy: { id: 'asc' },
      take: BATCH,
    });
    for (const n of due) {
      if (this.stopped) return;
      let error: string | null = null;
      try {
        const res = await fetch(n.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': n.key, 'user-agent': 'Jobscope' },
          body: n.payload,
          redirect: 'error',
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        if (!res.ok) error = `HTTP ${res.status}`;
        await res.body?.cancel();
      } catch (err) {
        error = (err as Error).name === 'TimeoutError' ? 'timed out' : 'cannot connect';
      }
      await this.store.$transaction(async (tx) => {
        await assertEpoch(tx, this.epoch);
        if (error === null) {
          await tx.notification.update({ where: { id: n.id }, data: { deliveredAt: new Date(), attempts: n.attempts + 1, lastError: null } });
        } else {
          const attempts = n.attempts + 1;
          await tx.notification.update({ where: { id: n.id }, data: { attempts, lastError: error, nextAttemptAt: new Date(Date.now() + backoffMs(attempts)) } });
        }
      });
      if (error) this.log.warn({ notification: n.key, to: origin(n.url), attempt: n.attempts + 1, err: error }, 'webhook delivery failed; will retry');
    }
  }
}
