'use client';
import { memo } from 'react';
import { statusName, type Lang, common } from '../i18n/dictionary';
import { useClock, useLang, useText } from '../i18n/lang';
import { ExpectationMark, ObjectActions } from '../definitions/actions';
import type { DefineActions } from '../definitions/definer';
import styles from '../definitions/definitions.module.css';
import { Icon } from '../icons/icons';
import { colourOf } from '../../server/domain/status';
import { hasColour, statusStyle } from './colour';
import { StatusGlyph } from './glyph';
import type { ObjectView } from './scope-tree';
import { problemWords } from '../../server/domain/feed-problems';
import { FlagBadges } from '../flags/flag-marks';
import { hasOpenFlag } from '../flags/flag-counts';

// Memoised: the scope tree hands back the same view while nothing about the object changed,
// so a status change renders its own tile and no other.
export const ObjectTile = memo(function ObjectTile({ view, onSelect, define }: { view: ObjectView; onSelect(view: ObjectView): void; define?: DefineActions | null }) {
  const formatClock = useClock();
  const lang = useLang();
  const t = useText(common).monitor;
  const { object, summary, host, flags } = view;
  const { status, stale, acknowledged } = summary;
  const classes = ['tile', hasColour(status) ? 'tile-coloured' : 'tile-plain', stale ? 'tile-stale' : '', acknowledged ? 'tile-acknowledged' : ''].filter(Boolean).join(' ');
  return (
    <article
      className={classes}
      style={statusStyle(status)}
      data-testid={`tile-${object.name}`}
      data-status={status}
      data-colour={colourOf(status)}
      data-stale={stale ? 'true' : 'false'}
      data-acknowledged={acknowledged ? 'true' : 'false'}
      data-flags={flags.length === 0 ? 'none' : hasOpenFlag(flags) ? 'open' : 'acknowledged'}
      title={object.comment ?? undefined}
    >
      <header className={`tile-head ${styles.tileHead}`}>
        <Icon name={object.icon ?? 'jobnet'} size={18} className={styles.tileIcon} />
        <h3 className="tile-name">
          <button type="button" className="tile-open" data-testid={`open-${object.name}`} onClick={() => onSelect(view)}>
            {object.name}
          </button>
        </h3>
        <ExpectationMark object={object} />
      </header>
      <p className="tile-status">
        <StatusGlyph status={status} />
        <span data-testid={`tile-status-${object.name}`}>{statusName(status, lang)}</span>
        {acknowledged && <span className="ack-badge" data-testid={`ack-${object.name}`}>✓ {t.acknowledged}</span>}
      </p>
      <FlagBadges flags={flags} line testId={`flags-${object.name}`} />
      <p className="tile-where">
        <span className="tile-host">{object.host}</span>
        <span className="tile-unit">{object.unit}</span>
      </p>
      {stale && (
        <p className="tile-stale-marker" data-testid={`stale-${object.name}`} title={host?.error ? problemWords(host.error)[lang] : undefined}>
          <span className="stale-badge">{t.stale}</span>
          <span>{host?.lastContactAt ? t.lastContact(formatClock(host.lastContactAt)) : t.neverContacted}</span>
        </p>
      )}
      {define && <ObjectActions object={object} actions={define} />}
    </article>
  );
});
