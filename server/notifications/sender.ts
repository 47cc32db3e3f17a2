// Delivers the outbox, at least once, from the active manager only (the one
// holding the store: every write here checks its fencing epoch), each row by
// its channel: a webhook's POST or a mail (./mail.ts). Each carries the
// idempotency key so that receivers can drop repeats; failures are retried with
// exponential backoff. Every webhook send checks where it goes (./targets.ts)
// and connects only to an address it checked; redirects are not followed.
import http from 'node:http';
import https from 'node:https';
import type { Store } from '../store/db';
import type { Logger } from '../host/log';
import { assertEpoch } from '../store/fence';
import { checkedLookup, isRefusalCode, literalAddress, refusalCode, TargetRefusedError, type WebhookTargets } from './targets';
import { deadline } from '../deadline';
import { isConfigurationCode, mailLogTarget, MailChannel } from './mail';

const BATCH = 20;
const TIMEOUT_MS = 5000;
const MAX_BACKOFF_MS = 5 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Posts one notification: null when the receiver took it (2xx), else why not, as
 * the short code kept as its last error: "HTTP 503", "timed out", "cannot connect",
 * "cannot resolve", "target-refused:loopback", ….
 */
export function postWebhook(targets: WebhookTargets, n: { url: string; key: string; payload: string }, timeoutMs = TIMEOUT_MS): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(n.url);
  } catch {
    return Promise.resolve('invalid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.resolve('invalid URL');
  // An address in the URL is connected to as it is, with no lookup: checked here.
  const literal = literalAddress(url);
  const refused = literal ? targets.refusal(literal) : null;
  if (refused) return Promise.resolve(refusalCode(refused));
  const body = Buffer.from(n.payload);
  const request = url.protocol === 'https:' ? https.request : http.request;
  const timeout = deadline(timeoutMs);
  return new Promise<string | null>((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length, 'idempotency-key': n.key, 'user-agent': 'Jobscope' },
        // A name is resolved and checked in this lookup, and the socket connects to what it answers.
        lookup: checkedLookup(targets),
        // A connection of its own: never one kept alive from an earlier send.
        agent: false,
        signal: timeout.signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.on('error', () => {});
        res.resume();
        // 3xx too is a failure: a redirect could lead anywhere.
        resolve(status >= 200 && status < 300 ? null : `HTTP ${status}`);
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof TargetRefusedError) resolve(refusalCode(err.refusal));
      else if (err.name === 'AbortError' || err.name === 'TimeoutError') resolve('timed out');
      else if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') resolve('cannot resolve');
      else resolve('cannot connect');
    });
    req.end(body);
  }).finally(() => timeout.clear());
}

/** Where a webhook goes, without the path or query that may carry its secret. */
const origin = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
};

/** Failures that wait for an operator's change, not for the receiver to recover. */
const slowRetry = (error: string) => isRefusalCode(error) || isConfigurationCode(error);

export class NotificationSender {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private store: Store,
    private epoch: number,
    private log: Logger,
    private onFailure: (err: unknown) => void,
    private targets: WebhookTargets,
    private mail: MailChannel = new MailChannel(undefined, ''),
  ) {}

  start(everyMs = 1000): void {
    this.timer = setInterval(() => this.wake(), everyMs);
    this.wake();
  }

  /** Sends what is due now; called after each applied batch too. */
  wake(): void {
    this.running = this.running.then(() => (this.stopped ? undefined : this.sendDue())).catch(this.onFailure);
  }

  /** Resolves once what was woken so far has been sent or recorded as failed. */
  async settled(): Promise<void> {
    await this.running.catch(() => {});
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
      const error = n.channel === 'mail' ? await this.mail.send(n) : await postWebhook(this.targets, n);
      await this.store.$transaction(async (tx) => {
        await assertEpoch(tx, this.epoch);
        if (error === null) {
          await tx.notification.update({ where: { id: n.id }, data: { deliveredAt: new Date(), attempts: n.attempts + 1, lastError: null } });
        } else {
          const attempts = n.attempts + 1;
          // A refused target does not become allowed by itself, nor does mail get configured (a change of
          // configuration or DNS does that): tried again at the slowest pace, never dropped.
          const wait = slowRetry(error) ? MAX_BACKOFF_MS : backoffMs(attempts);
          await tx.notification.update({ where: { id: n.id }, data: { attempts, lastError: error, nextAttemptAt: new Date(Date.now() + wait) } });
        }
      });
      if (!error) continue;
      const to = n.channel === 'mail' ? mailLogTarget(n.url) : origin(n.url);
      const what = n.channel === 'mail' ? 'mail' : 'webhook';
      const message = isRefusalCode(error) ? 'webhook target refused; will retry in 5 minutes' : isConfigurationCode(error) ? `${what} not sent: ${error}; will retry in 5 minutes` : `${what} delivery failed; will retry`;
      this.log.warn({ notification: n.key, channel: n.channel, to, attempt: n.attempts + 1, err: error }, message);
    }
  }
}
