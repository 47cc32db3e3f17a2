'use client';
// The Schedule view of the monitor page: today's expected runs of a scope's objects on a
// timeline (or as a table of the same data), live. The layout is schedule-layout.ts's, the data
// use-schedule.ts's; this file draws them.
import { useId, useMemo, useState } from 'react';
import { SCHEDULE_RANGES, SCHEDULE_SHAPES, type ScheduleState } from '../monitor/monitor-url';
import { FLAG_WORDS } from '../../server/domain/expectations/flag-words';
import type { FlagState } from '../../server/domain/live';
import { FLAG_KINDS } from '../flags/flag-counts';
import { FlagBadges } from '../flags/flag-marks';
import { FLAG_MARKS } from '../flags/marks';
import { statusName } from '../i18n/dictionary';
import { useClock, useLang, useText } from '../i18n/lang';
import type { LiveStore } from '../live/live-store';
import { statusStyle } from '../monitor/colour';
import { Segmented } from '../shell/segmented';
import { useNow } from '../shell/use-now';
import table from '../table/table.module.css';
import { dayAt, hoursOf, pointOf, rangeOf, rowsOf, SHOWN_STATES, type Day, type OccurrenceMarks, type ScheduleRow, type ShownState } from './schedule-layout';
import styles from './schedule.module.css';
import { scheduleText } from './text';
import { useSchedule } from './use-schedule';

type Words = (typeof scheduleText)['en'];
type Clock = (when: string | number) => string;

/** Each state's shape, so that none is told by colour alone. */
const GLYPHS: Record<ShownState, string> = { expected: '○', started: '▶', ended: '■', late: '!', missed: '✕', skipped: '–' };
/** The timeline shows the whole day, or a few hours around now where short runs are wide enough to read. */
const HOURS = { day: 24, near: 6 } as const;

/** The viewer's own time zone: the axis is the viewer's today. */
const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

interface ScheduleViewProps {
  scope: number | null;
  store: LiveStore;
  revision: number;
  /** Timeline or table, and the timeline's hours: the page's, kept in its URL. */
  shown: ScheduleState;
  onShow: (change: Partial<ScheduleState>) => void;
  onSelectObject: (id: number) => void;
}

export function ScheduleView({ scope, store, revision, shown, onShow, onSelectObject }: ScheduleViewProps) {
  const t = useText(scheduleText);
  const clock = useClock();
  const now = useNow(30_000);
  const zone = useMemo(viewerZone, []);
  const day = useMemo(() => dayAt(now, zone), [now, zone]);
  const schedule = useSchedule(scope, store, revision);
  const rows = useMemo(() => (schedule.data ? rowsOf(schedule.data.objects, day, now) : []), [schedule.data, day, now]);
  const { shape, range: rangeName } = shown;
  const range = useMemo(() => rangeOf(day, now, HOURS[rangeName]), [day, now, rangeName]);
  const rowsInRange = useMemo(() => (range === day || !schedule.data ? rows : rowsOf(schedule.data.objects, range, now)), [range, day, rows, schedule.data, now]);
  const legendId = useId();

  return (
    <section className={styles.schedule} data-testid="schedule" aria-labelledby={`${legendId}-title`} aria-busy={schedule.isPending}>
      <div className={styles.head}>
        <h2 id={`${legendId}-title`} className={styles.title}>
          {t.title}
        </h2>
        <p className={styles.day} data-testid="schedule-day">
          {t.today(day.date, zone)}
        </p>
        {shape === 'timeline' && (
          <Segmented label={t.hoursShown} options={SCHEDULE_RANGES} value={rangeName} words={t.ranges} testId="schedule-range" onChange={(range) => onShow({ range })} />
        )}
        <Segmented label={t.show} options={SCHEDULE_SHAPES} value={shape} words={t.shows} testId="schedule-as" onChange={(shape) => onShow({ shape })} />
      </div>
      {schedule.isPending && <p className="muted pad">{t.loading}</p>}
      {schedule.isError && (
        <p className="form-error pad" role="alert">
          {t.loadFailed} {schedule.error.message}
        </p>
      )}
      {schedule.data && rows.length === 0 && (
        <div className="empty pad" data-testid="schedule-empty">
          <p>{t.empty}</p>
          <p className="muted">{t.emptyHow}</p>
        </div>
      )}
      {rows.length > 0 &&
        (shape === 'timeline' ? (
          <Timeline rows={rowsInRange} store={store} range={range} day={day} now={now} t={t} clock={clock} legendId={legendId} onSelectObject={onSelectObject} />
        ) : (
          <ScheduleTable rows={rows} t={t} clock={clock} />
        ))}
      {rows.length > 0 && <Legend id={legendId} t={t} zone={zone} />}
    </section>
  );
}

function Timeline({ rows, store, range, day, now, t, clock, legendId, onSelectObject }: { rows: ScheduleRow[]; store: LiveStore; range: Day; day: Day; now: number; t: Words; clock: Clock; legendId: string; onSelectObject: (id: number) => void }) {
  const hours = useMemo(() => hoursOf(range, day), [range, day]);
  // Every third hour labelled on the whole day, every hour on a part of it.
  const step = range.to - range.from > 12 * 3_600_000 ? 3 : 1;
  const nowX = pointOf(now, range);
  const hourLabel = useMemo(() => {
    const f = new Intl.DateTimeFormat('en', { hour: '2-digit', hourCycle: 'h23', timeZone: day.timeZone });
    return (at: number) => f.format(at);
  }, [day.timeZone]);
  return (
    <div className={styles.timeline} aria-describedby={legendId}>
      <div className={styles.axis} aria-label={t.axis} role="img">
        {hours.map((h) =>
          h.index % step === 0 ? (
            <span key={h.at} className={`${styles.hour} ${h.x < 2 ? styles.firstHour : ''}`} style={{ left: `${h.x}%` }} aria-hidden="true">
              {hourLabel(h.at)}
            </span>
          ) : null,
        )}
        {nowX !== null && (
          <span className={styles.nowLabel} style={{ left: `${nowX}%` }} data-testid="schedule-now-label">
            {t.now} {clock(now).slice(0, -3)}
          </span>
        )}
      </div>
      <ul className={styles.rows}>
        {rows.map((row) => (
          <li key={row.object.objectId} className={styles.row} data-testid={`schedule-row-${row.object.name}`} aria-label={t.rowLabel(row.object.name, row.marks.length)}>
            <RowName row={row} t={t} flags={store.flagsOf(row.object.objectId)} />
            <div className={styles.track}>
              {row.marks.length === 0 && <span className={styles.nothing}>{range === day ? t.nothingToday : t.nothingHere}</span>}
              {row.marks.map((m) => (
                <Occurrence key={m.occurrence.at} name={row.object.name} m={m} t={t} clock={clock} onSelect={() => onSelectObject(row.object.objectId)} />
              ))}
            </div>
          </li>
        ))}
      </ul>
      <div className={styles.grid} aria-hidden="true">
        {hours.map((h) => (
          <span key={h.at} className={styles.gridLine} style={{ left: `${h.x}%` }} />
        ))}
        {nowX !== null && <span className={styles.now} style={{ left: `${nowX}%` }} data-testid="schedule-now" />}
      </div>
    </div>
  );
}

/** An object's name, unit, usual duration and the flags raised on it now (live, acknowledged ones hatched as everywhere). */
function RowName({ row, t, flags }: { row: ScheduleRow; t: Words; flags: readonly FlagState[] }) {
  const o = row.object;
  return (
    <div className={styles.name}>
      <span className={styles.objectName} title={o.name}>
        {o.name}
      </span>
      <span className={styles.unit} title={`${o.host}:${o.unit}`}>
        {o.host}:{o.unit}
        {o.learnedMs !== null && ` · ${t.usual(o.learnedMs)}`}
      </span>
      <FlagBadges flags={flags} testId={`schedule-flags-${o.name}`} />
    </div>
  );
}

const left = (x: number) => ({ left: `${x}%` });

function Occurrence({ name, m, t, clock, onSelect }: { name: string; m: OccurrenceMarks; t: Words; clock: Clock; onSelect: () => void }) {
  const tipId = useId();
  const o = m.occurrence;
  const lang = useLang();
  // Its details only while pointed at or focused: a frequent schedule has many occurrences a day.
  const [open, setOpen] = useState(false);
  return (
    <div
      className={styles.occurrence}
      data-testid="schedule-occurrence"
      data-state={m.state}
      data-at={o.at}
      onMouseEnter={() => setOpen(true)}
      onMouseLeave={() => setOpen(false)}
      onFocus={() => setOpen(true)}
      onBlur={() => setOpen(false)}
      onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
    >
      {m.window && <span className={styles.window} style={{ left: `${m.window.left}%`, width: `${m.window.width}%` }} />}
      {m.startBy !== null && <span className={styles.startBy} style={left(m.startBy)} data-testid="schedule-start-by" />}
      {m.endBy !== null && <span className={styles.endBy} style={left(m.endBy)} data-testid="schedule-end-by" />}
      {m.tick !== null && <span className={`${styles.tick} ${m.state === 'skipped' ? styles.skippedTick : ''}`} style={left(m.tick)} data-testid="schedule-tick" />}
      {m.bar && (
        <span
          className={[styles.bar, m.bar.running && styles.running, m.state === 'late' && styles.lateBar, m.bar.cutStart && styles.cutStart].filter(Boolean).join(' ')}
          style={{ left: `${m.bar.left}%`, width: `max(${m.bar.width}%, 3px)`, ...statusStyle(m.bar.status) }}
          data-testid="schedule-bar"
          data-status={m.bar.status}
          data-running={m.bar.running}
        />
      )}
      {m.flags.map((f) =>
        f.x === null ? null : (
          <span key={f.kind} className={styles.flagMark} style={left(f.x)} data-testid={`schedule-flag-mark-${f.kind}`} title={FLAG_WORDS[f.kind][lang]}>
            {FLAG_MARKS[f.kind]}
          </span>
        ),
      )}
      <button type="button" className={styles.mark} data-state={m.state} style={left(m.anchor)} aria-label={t.occurrence(name, clock(o.at).slice(0, -3), t.stateHelp[m.state])} aria-describedby={open ? tipId : undefined} onClick={onSelect}>
        <span aria-hidden="true">{GLYPHS[m.state]}</span>
      </button>
      {open && (
        <div id={tipId} role="tooltip" className={`${styles.tip} ${m.anchor > 60 ? styles.tipLeft : ''}`} style={left(m.anchor)}>
          <Details name={name} m={m} t={t} clock={clock} />
        </div>
      )}
    </div>
  );
}

function Details({ name, m, t, clock }: { name: string; m: OccurrenceMarks; t: Words; clock: Clock }) {
  const o = m.occurrence;
  const lang = useLang();
  const d = t.details;
  const rows: [string, string][] = [
    [d.expectedAt, clock(o.at)],
    [d.window, `${clock(o.window.from)} – ${clock(o.window.to)}`],
  ];
  if (o.deadlines.startBy) rows.push([d.startBy, clock(o.deadlines.startBy)]);
  if (o.deadlines.endBy) rows.push([d.endBy, clock(o.deadlines.endBy)]);
  if (o.deadlines.endWithin) rows.push([d.endWithin, clock(o.deadlines.endWithin)]);
  if (o.deadlines.learned) rows.push([d.learned, clock(o.deadlines.learned)]);
  if (o.run) {
    rows.push([d.started, clock(o.run.startedAt)]);
    rows.push([d.ended, o.run.endedAt ? clock(o.run.endedAt) : d.running]);
    rows.push([d.status, statusName(o.run.status, lang)]);
  }
  if (o.flags.length) rows.push([d.flags, o.flags.map((f) => FLAG_WORDS[f][lang]).join(', ')]);
  const late = [m.late.start !== null && d.lateStart(m.late.start), m.late.end !== null && d.lateEnd(m.late.end)].filter(Boolean).join('; ');
  return (
    <>
      <p className={styles.tipTitle}>
        <span aria-hidden="true">{GLYPHS[m.state]} </span>
        {name} · {t.states[m.state]}
      </p>
      {late && <p className={styles.tipLate}>{late}</p>}
      <dl className={styles.tipList}>
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

function StateName({ state, t }: { state: ShownState; t: Words }) {
  return (
    <span className={styles.stateName} data-state={state}>
      <span className={styles.glyph} aria-hidden="true">
        {GLYPHS[state]}
      </span>
      {t.states[state]}
    </span>
  );
}

function ScheduleTable({ rows, t, clock }: { rows: ScheduleRow[]; t: Words; clock: Clock }) {
  const lang = useLang();
  const c = t.columns;
  const none = t.details.none;
  return (
    <div className={`${table.frame} ${table.scroll}`}>
      <table className={table.table} data-testid="schedule-table">
        <caption className="sr-only">{t.title}</caption>
        <thead>
          <tr>
            {[c.object, c.expected, c.state, c.startBy, c.endBy, c.started, c.ended, c.status, c.flags].map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.flatMap((row) =>
            (row.marks.length ? row.marks : [null]).map((m, i) => {
              const o = m?.occurrence;
              return (
                <tr key={`${row.object.objectId} ${o?.at ?? ''}`} data-testid="schedule-table-row" data-state={m?.state ?? ''}>
                  {i === 0 ? (
                    <th scope="rowgroup" rowSpan={Math.max(1, row.marks.length)}>
                      {row.object.name}
                    </th>
                  ) : null}
                  {m && o ? (
                    <>
                      <td>{clock(o.at)}</td>
                      <td>
                        <StateName state={m.state} t={t} />
                      </td>
                      <td>{o.deadlines.startBy ? clock(o.deadlines.startBy) : none}</td>
                      <td>{o.deadlines.endBy ? clock(o.deadlines.endBy) : none}</td>
                      <td>{o.run ? clock(o.run.startedAt) : none}</td>
                      <td>{o.run ? (o.run.endedAt ? clock(o.run.endedAt) : t.details.running) : none}</td>
                      <td>{o.run ? statusName(o.run.status, lang) : none}</td>
                      <td>{o.flags.length ? o.flags.map((f) => FLAG_WORDS[f][lang]).join(', ') : none}</td>
                    </>
                  ) : (
                    <td colSpan={8} className="muted">
                      {t.nothingToday}
                    </td>
                  )}
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </div>
  );
}

function Legend({ id, t, zone }: { id: string; t: Words; zone: string }) {
  const lang = useLang();
  const k = t.marks;
  const sample = (className: string, style?: Record<string, string>) => (
    <span className={styles.sample} aria-hidden="true">
      <span className={className} style={style} />
    </span>
  );
  return (
    <div className={styles.legend} id={id} data-testid="schedule-legend">
      <h3 className="sr-only">{t.legend}</h3>
      <ul className={styles.legendList}>
        {SHOWN_STATES.map((s) => (
          <li key={s} title={t.stateHelp[s]}>
            <span className={styles.legendMark} data-state={s} aria-hidden="true">
              {GLYPHS[s]}
            </span>
            {t.states[s]}
          </li>
        ))}
      </ul>
      <ul className={styles.legendList}>
        <li>
          {sample(styles.tick, { left: '50%' })}
          {k.tick}
        </li>
        <li>
          {sample(styles.startBy, { left: '50%' })}
          {k.startBy}
        </li>
        <li>
          {sample(styles.endBy, { left: '50%' })}
          {k.endBy}
        </li>
        <li>
          {sample(styles.window, { left: '10%', width: '80%' })}
          {k.window}
        </li>
        <li>
          {sample(styles.bar, { left: '5%', width: '90%', ...statusStyle('NORMAL') })}
          {k.run}
        </li>
        <li>
          {sample(`${styles.bar} ${styles.running}`, { left: '5%', width: '75%', ...statusStyle('RUNNING') })}
          {k.running}
        </li>
        <li>
          {sample(`${styles.bar} ${styles.lateBar}`, { left: '5%', width: '90%', ...statusStyle('NORMAL') })}
          {k.lateRun}
        </li>
        {FLAG_KINDS.map((kind) => (
          <li key={kind}>
            <span className={styles.legendFlag} aria-hidden="true">
              {FLAG_MARKS[kind]}
            </span>
            {k.flag(FLAG_WORDS[kind][lang])}
          </li>
        ))}
        <li>
          {sample(styles.now, { left: '50%' })}
          {k.nowLine}
        </li>
      </ul>
      <p className="muted">{t.zoneNote(zone)}</p>
    </div>
  );
}
