'use client';
// The flags raised on the object shown: each with its expected start, when it fell due, who
// acknowledged it, and (for roles that may) an Acknowledge button with an optional comment.
import { useState } from 'react';
import { FLAG_WORDS } from '../../server/domain/expectations/flag-words';
import type { FlagState } from '../../server/domain/live';
import { FlagBadge } from '../flags/flag-marks';
import { useClock, useLang, useText } from '../i18n/lang';
import { AckForm, AckLine } from './ack-form';
import { detailText } from './text';
import styles from './detail.module.css';

function FlagItem({ objectId, flag, mayAck }: { objectId: number; flag: FlagState; mayAck: boolean }) {
  const formatClock = useClock();
  const lang = useLang();
  const t = useText(detailText);
  const [acking, setAcking] = useState(false);
  const name = FLAG_WORDS[flag.kind][lang];
  return (
    <li className={styles.flag} data-testid={`detail-flag-${flag.kind}`} data-acknowledged={flag.ack !== null}>
      <div className={styles.flagHead}>
        <FlagBadge kind={flag.kind} acknowledged={flag.ack !== null} />
        <span className={styles.flagTimes}>
          {t.expectedStart} <time dateTime={flag.occurrence}>{formatClock(flag.occurrence)}</time> · {t.due} <time dateTime={flag.dueAt}>{formatClock(flag.dueAt)}</time>
        </span>
        {!flag.ack && mayAck && !acking && (
          <button type="button" className="button small" aria-label={t.acknowledgeFlag(name)} data-testid={`flag-ack-open-${flag.kind}`} onClick={() => setAcking(true)}>
            {t.acknowledge}
          </button>
        )}
      </div>
      <AckLine ack={flag.ack} testId={`flag-ack-line-${flag.kind}`} />
      {acking && (
        <AckForm
          path={`/objects/${objectId}/flags/ack`}
          body={{ kind: flag.kind, occurrence: flag.occurrence }}
          confirm={t.ackFlagConfirm(name)}
          testId="flag-ack"
          onDone={() => setAcking(false)}
        />
      )}
    </li>
  );
}

export function FlagsSection({ objectId, flags, mayAck }: { objectId: number; flags: readonly FlagState[]; mayAck: boolean }) {
  const t = useText(detailText);
  if (flags.length === 0) return null;
  return (
    <section data-testid="detail-flags">
      <h3>{t.flags}</h3>
      <ul className={styles.flags}>
        {flags.map((f) => (
          <FlagItem key={`${f.kind} ${f.occurrence}`} objectId={objectId} flag={f} mayAck={mayAck} />
        ))}
      </ul>
    </section>
  );
}
