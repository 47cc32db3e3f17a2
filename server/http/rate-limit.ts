// A per-client allowance of requests in a window (fixed windows: simple, and
// enough to keep one client from driving a costly route). Memory is bounded:
// past its size the oldest entries go first, which only ever lets a client in.
export class RateLimit {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Milliseconds until the key may try again; 0 when this attempt is allowed (and counted). */
  take(key: string, now = Date.now()): number {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.delete(key);
      w = { start: now, count: 0 };
      if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
      this.windows.set(key, w);
    }
    if (w.count >= this.perWindow) return w.start + this.windowMs - now;
    w.count++;
    return 0;
  }
}
