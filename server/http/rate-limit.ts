// A per-client allowance of requests in a window (fixed windows: simple, and
// enough to keep one client from driving a costly route). Memory is bounded:
// past its size the oldest entries go first, which only ever lets a client in.
import { Recent } from '../recent';

export class RateLimit {
  private windows: Recent<{ start: number; count: number }>;

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
    maxKeys = 10_000,
  ) {
    this.windows = new Recent(maxKeys);
  }

  /** Milliseconds until the key may try again, counting nothing: for limits that count failures only (take them on failure). */
  wait(key: string, now = Date.now()): number {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs || w.count < this.perWindow) return 0;
    return w.start + this.windowMs - now;
  }

  /** Milliseconds until the key may try again; 0 when this attempt is allowed (and counted). */
  take(key: string, now = Date.now()): number {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.put(key, w);
    }
    if (w.count >= this.perWindow) return w.start + this.windowMs - now;
    w.count++;
    return 0;
  }
}
