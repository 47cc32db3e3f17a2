// The fencing epoch of the console store: a manager that starts raises it, and
// every write it makes checks that the epoch is still its own. A manager that
// finds a newer one exits. The epoch lives with the data it guards, so even a
// holder whose lock file was replaced under it is fenced off.
import type { Store, Tx } from './db';
import { FootingError } from '../host/footing';

export class SupersededError extends FootingError {
  constructor(mine: number, found: number) {
    super(`fencing epoch ${mine} superseded by ${found}: another manager holds this store now`);
  }
}

/** Claims the store for a new holder: returns the new, higher epoch. */
export async function claimStore(store: Store): Promise<number> {
  const meta = await store.storeMeta.update({ where: { id: 1 }, data: { epoch: { increment: 1 } } });
  return meta.epoch;
}

/** A transaction's client is the store's without $disconnect (and the like). */
function inTransaction(tx: Tx | Store): boolean {
  return !('$disconnect' in tx);
}

/** Inside a write transaction: throws SupersededError unless the store is still ours. */
export async function assertEpoch(tx: Tx | Store, epoch: number): Promise<void> {
  if (inTransaction(tx)) {
    // In a transaction, lock the row as the check passes: a new holder's claim
    // then waits for this transaction to end. A plain read would not hold it
    // on PostgreSQL, whose transactions (read committed) let a claim commit
    // between the check and the writes that follow.
    const { count } = await tx.storeMeta.updateMany({ where: { id: 1, epoch }, data: { epoch } });
    if (count === 1) return;
  }
  const meta = await tx.storeMeta.findUniqueOrThrow({ where: { id: 1 }, select: { epoch: true } });
  if (meta.epoch !== epoch) throw new SupersededError(epoch, meta.epoch);
}
