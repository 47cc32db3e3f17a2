// Flags as they sit on top of a status (never instead of its colour): each kind with its mark
// and its name, an acknowledged one hatched with a tick, like an acknowledged abnormal end.
import { FLAG_WORDS } from '../../server/domain/expectations/flag-words';
import type { FlagKind } from '../../server/domain/expectations/evaluate';
import type { FlagState } from '../../server/domain/live';
import { useLang, useText } from '../i18n/lang';
import { FLAG_KINDS, raisedKinds, type FlagCounts } from './flag-counts';
import { FLAG_MARKS } from './marks';
import { flagText } from './text';
import styles from './flags.module.css';

/** One kind's badge: its mark and its name (the name for screen readers only when `compact`). */
export function FlagBadge({ kind, acknowledged, compact = false, testId }: { kind: FlagKind; acknowledged: boolean; compact?: boolean; testId?: string }) {
  const lang = useLang();
  const t = useText(flagText);
  const name = FLAG_WORDS[kind][lang];
  const label = acknowledged ? `${name} (${t.acknowledged})` : name;
  return (
    <span className={`${styles.badge} ${acknowledged ? styles.settled : ''}`} data-flag={kind} data-acknowledged={acknowledged} title={label} data-testid={testId}>
      <span aria-hidden="true">{FLAG_MARKS[kind]}</span>
      {compact ? <span className="sr-only">{label}</span> : <span className={styles.word}>{name}</span>}
      {acknowledged && <span aria-hidden="true">✓</span>}
      {acknowledged && !compact && <span className="sr-only">({t.acknowledged})</span>}
    </span>
  );
}

/** An object's flags, a badge per kind raised (`line`: on a line of their own). Nothing when there is none. */
export function FlagBadges({ flags, compact, line = false, testId }: { flags: readonly FlagState[]; compact?: boolean; line?: boolean; testId?: string }) {
  if (flags.length === 0) return null;
  const Box = line ? 'div' : 'span';
  return (
    <Box className={`${styles.badges} ${line ? styles.line : ''}`} data-testid={testId}>
      {raisedKinds(flags).map(({ kind, acknowledged }) => (
        <FlagBadge key={kind} kind={kind} acknowledged={acknowledged} compact={compact} />
      ))}
    </Box>
  );
}

/**
 * How many objects below carry each kind of flag: its mark and the number, settled when every one
 * was acknowledged. `compact`: marks and numbers only (the names for screen readers), as phrasing
 * content that fits in a button.
 */
export function FlagCountsView({ counts, testId, compact = false }: { counts: FlagCounts; testId?: string; compact?: boolean }) {
  const lang = useLang();
  const t = useText(flagText);
  const raised = FLAG_KINDS.filter((k) => counts[k].raised > 0);
  if (raised.length === 0) return null;
  const [List, Item] = compact ? (['span', 'span'] as const) : (['ul', 'li'] as const);
  return (
    <List className={`${styles.counts} ${compact ? styles.compact : ''}`} aria-label={compact ? undefined : t.flags} data-testid={testId}>
      {raised.map((kind) => {
        const { raised: n, open } = counts[kind];
        const name = FLAG_WORDS[kind][lang];
        return (
          <Item key={kind} className={`${styles.badge} ${open === 0 ? styles.settled : ''}`} data-flag={kind} data-raised={n} data-open={open} title={t.count(name, n, open)}>
            <span aria-hidden="true">{FLAG_MARKS[kind]}</span>
            {!compact && <span className={styles.word} aria-hidden="true">{name}</span>}
            <span aria-hidden="true">{n}</span>
            <span className="sr-only">{t.count(name, n, open)}</span>
          </Item>
        );
      })}
    </List>
  );
}
