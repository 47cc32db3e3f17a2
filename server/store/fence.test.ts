// The fencing epoch on PostgreSQL, whose transactions (read committed) do not
// serialise as SQLite's single writer does: a write transaction that checked
// its epoch keeps a new holder's claim waiting until it ends, so no write of a
// superseded manager lands after the claim; and a superseded one is refused.
// (SQLite cannot be shown in one process: better-sqlite3 waits for a lock
// synchronously. server/daemons/fencing.test.ts covers it with real processes.)
import { expect, it } from 'vitest';
import { openStore } from './db';
import { assertEpoch, claimStore, SupersededError } from './fence';
import { openTestStore } from '../testing/stores';

it('a claim by another process waits for a transaction that checked the epoch, then supersedes it', async () => {
  const mine = await openTestStore('postgresql');
  const other = await openStore(mine.location); // the next manager, with its own connection
  try {
    const epoch = await claimStore(mine.store);
    let claimed: number | null = null;
    await mine.store.$transaction(
      async (tx) => {
        await assertEpoch(tx, epoch);
        void claimStore(other).then((e) => (claimed = e));
        await new Promise((r) => setTimeout(r, 500));
        expect(claimed).toBeNull(); // still waiting for this transaction
        await tx.scope.create({ data: { name: 'written while still the holder' } });
      },
      { timeout: 10_000 },
    );
    await expect.poll(() => claimed, { timeout: 10_000 }).toBe(epoch + 1);
    await expect(mine.store.$transaction((tx) => assertEpoch(tx, epoch))).rejects.toThrow(SupersededError);
    await expect(assertEpoch(mine.store, epoch)).rejects.toThrow(/fencing epoch 1 superseded by 2/);
  } finally {
    await other.$disconnect();
    await mine.close();
  }
});
