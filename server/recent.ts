// A bounded map for what the throttles remember of clients (sign-ins, feed tokens,
// connection checks): past its size the least recently set entries go first.
export class Recent<V> {
  private map = new Map<string, V>();
  constructor(private readonly max: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  /** Sets the entry as the most recent; returns the values dropped to stay within bounds. */
  put(key: string, value: V): V[] {
    this.map.delete(key);
    this.map.set(key, value);
    const dropped: V[] = [];
    for (const [oldest, old] of this.map) {
      if (this.map.size <= this.max) break;
      this.map.delete(oldest);
      dropped.push(old);
    }
    return dropped;
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  entries(): IterableIterator<[string, V]> {
    return this.map.entries();
  }
}
