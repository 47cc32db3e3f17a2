// Each kind of flag has a mark of its own beside its name, readable without colour. Glyphs of
// DejaVu Sans, which every console font stack here falls back to (emoji fonts are not).
import type { FlagKind } from '../../server/domain/expectations/evaluate';

export const FLAG_MARKS: Record<FlagKind, string> = {
  /** A dashed arrow: the start has not come. */
  'start-delay': '⇢',
  /** An arrow to a bar: the end has not come. */
  'end-delay': '⇥',
  /** Nothing: no run at all. */
  missed: '⊘',
  /** Going round and round: running longer than it should. */
  overrun: '⟳',
};
