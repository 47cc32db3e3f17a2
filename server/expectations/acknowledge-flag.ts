// Acknowledging a raised flag: an operator has seen it. The flag stays until its
// run starts or ends (the rules say when); the acknowledgement only marks it, on
// every screen, and is audited.
import { z } from 'zod';
import type { Store } from '../store/db';
import { assertEpoch } from '../store/fence';
import { FLAG_KINDS } from '../domain/expectations';
import { recordAudit } from '../audit/audit';
import { ackSchema } from '../runs/runs';
import { InputError, parseInput, says, words } from '../input';

export const flagAckSchema = ackSchema.extend({
  kind: z.enum(FLAG_KINDS, says(`kind is one of ${FLAG_KINDS.join(', ')}`, `kind は ${FLAG_KINDS.join(', ')} のどれかです`)),
  occurrence: z.iso.datetime(says('occurrence is the expected start, an ISO 8601 time', 'occurrence は予定開始時刻 (ISO 8601) です')),
});

export async function acknowledgeFlag(store: Store, epoch: number, objectId: number, by: string, input: unknown) {
  const { kind, occurrence, comment } = parseInput(flagAckSchema, input ?? {});
  const id = { objectId, kind, occurrence: new Date(occurrence) };
  return store.$transaction(async (tx) => {
    await assertEpoch(tx, epoch);
    const flag = await tx.expectationFlag.findUnique({ where: { objectId_kind_occurrence: id }, include: { object: { select: { name: true } } } });
    if (!flag || flag.endedAt) {
      throw new InputError(words(`monitoring object ${objectId} has no ${kind} flag raised for ${occurrence}`, `監視オブジェクト ${objectId} に ${occurrence} の ${kind} フラグは立っていません`), {}, 404);
    }
    const ack = { ackBy: by, ackAt: new Date(), ackComment: comment };
    await tx.expectationFlag.update({ where: { objectId_kind_occurrence: id }, data: ack });
    await recordAudit(tx, { user: by, action: 'flag.ack', target: flag.object.name, detail: { id: objectId, flag: kind, occurrence, comment } });
    return { by, at: ack.ackAt.toISOString(), comment };
  });
}
