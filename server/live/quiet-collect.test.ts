// The manager collects its garbage once, when it goes quiet after enough work; never while
// work keeps coming, never for a little of it.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { collectGarbage, QuietCollector } from './quiet-collect';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

it('collects once, a quiet spell after enough work, and not while work keeps coming', async () => {
  const collect = vi.fn(async () => {});
  const quiet = new QuietCollector(collect, 2000, 100);
  quiet.worked(60);
  await vi.advanceTimersByTimeAsync(5000);
  expect(collect).not.toHaveBeenCalled(); // not enough yet
  quiet.worked(60);
  for (let i = 0; i < 10; i++) {
    await vi.advanceTimersByTimeAsync(1000);
    quiet.worked(0); // a subscription, say: no garbage, but not quiet either
  }
  expect(collect).not.toHaveBeenCalled();
  await vi.advanceTimersByTimeAsync(2000);
  expect(collect).toHaveBeenCalledTimes(1);
  await vi.advanceTimersByTimeAsync(10_000);
  expect(collect).toHaveBeenCalledTimes(1);
  quiet.worked(100); // a new burst owes a new collection
  await vi.advanceTimersByTimeAsync(2000);
  expect(collect).toHaveBeenCalledTimes(2);
});

it('collects through the inspector in process, and returns', async () => {
  vi.useRealTimers();
  await expect(collectGarbage()).resolves.toBeUndefined();
  await expect(collectGarbage()).resolves.toBeUndefined();
});
