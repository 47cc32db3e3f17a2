'use client';
import { text, statusName, type Lang } from '../i18n/dictionary';
import { formatClock } from '../i18n/time';
import { DeleteButton } from '../definitions/delete-button';
import { colourOf } from '../../server/domain/status';
import { hasColour, statusStyle } from './colour';
import { StatusGlyph } from './glyph';
import type { ObjectView } from './scope-tree';

const t = text.monitor;

export function ObjectTile({ view, lang, onDelete }: { view: ObjectView; lang: Lang; onDelete?: () => Promise<unknown> }) {
  const { object, summary, host } = view;
  const { status, stale } = summary;
  const classes = ['tile', hasColour(status) ? 'tile-coloured' : 'tile-plain', stale ? 'tile-stale' : ''].filter(Boolean).join(' ');
  return (
    <article
      className={classes}
      style={statusStyle(status)}
      data-testid={`tile-${object.name}`}
      data-status={status}
      data-colour={colourOf(status)}
      data-stale={stale ? 'true' : 'false'}
      title={object.comment ?? undefined}
    >
      <header className="tile-head">
        <h3 className="tile-name">{object.name}</h3>
        {onDelete && <DeleteButton testId={`delete-object-${object.name}`} label={object.name} onDelete={onDelete} />}
      </header>
      <p className="tile-status">
        <StatusGlyph status={status} />
        <span data-testid={`tile-status-${object.name}`}>{statusName(status, lang)}</span>
      </p>
      <p className="tile-where">
        <span className="tile-host">{object.host}</span>
        <span className="tile-unit">{object.unit}</span>
      </p>
      {stale && (
        <p className="tile-stale-marker" data-testid={`stale-${object.name}`}>
          <span className="stale-badge">{t.stale}</span>
          <span>{host?.lastContactAt ? t.lastContact(formatClock(host.lastContactAt)) : t.neverContacted}</span>
        </p>
      )}
    </article>
  );
}
