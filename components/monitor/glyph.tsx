import { summaryOf, type Status, type SummaryClass } from '../../server/domain/status';

// Shapes readable without colour (and by colour-blind operators): cross for
// abnormal, triangle for warning, play for running, pause for held.
const GLYPHS: Record<SummaryClass, string> = {
  abnormal: '✖',
  warning: '▲',
  running: '▶',
  held: '❚❚',
  waiting: '◔',
  normal: '✔',
  uncounted: '–',
};

export function StatusGlyph({ status }: { status: Status }) {
  return (
    <span className="glyph" aria-hidden="true">
      {GLYPHS[summaryOf(status)]}
    </span>
  );
}
