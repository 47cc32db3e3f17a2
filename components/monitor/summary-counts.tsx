import { COLOURS, type SummaryCounts, type SummaryClass } from '../../server/domain/status';
import { common } from '../i18n/dictionary';
import { useText } from '../i18n/lang';
import { inkFor } from './colour';

// The classes the classic dashboard counts, worst first; "uncounted" is left out as it is there.
const SHOWN: { key: SummaryClass; colour: string }[] = [
  { key: 'abnormal', colour: COLOURS.red },
  { key: 'warning', colour: COLOURS.lightRed },
  { key: 'running', colour: COLOURS.green },
  { key: 'held', colour: COLOURS.yellow },
  { key: 'waiting', colour: COLOURS.skyBlue },
  { key: 'normal', colour: COLOURS.lightGreen },
];

/** `classes`: only these (a wall display shows the classes its admin chose). */
export function SummaryCountsView({ counts, testId, classes }: { counts: SummaryCounts; testId?: string; classes?: readonly SummaryClass[] }) {
  const labels = useText(common).summary;
  return (
    <ul className="counts" data-testid={testId}>
      {SHOWN.filter(({ key }) => !classes || classes.includes(key)).map(({ key, colour }) => {
        const n = counts[key];
        return (
          <li
            key={key}
            className={n ? 'count' : 'count count-zero'}
            data-class={key}
            data-count={n}
            style={n ? { background: colour, color: inkFor(colour) } : undefined}
            title={`${labels[key]}: ${n}`}
          >
            <span className="count-label">{labels[key]}</span>
            <span className="count-value">{n}</span>
          </li>
        );
      })}
    </ul>
  );
}
