'use client';
// An unattended wall display (/display; docs/architecture.md, "Displays"). With its credential
// (a cookie) it shows its scope live, as its admin set it up; without one, or once revoked, it
// shows a pairing code until an admin enrols it. Nothing here ever asks for a sign-in, blocks on
// a dialog, or gives up: every failure is shown in place and tried again.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DisplayNotice, DisplayPicture } from '../../server/domain/live';
import { FixedLang, useText } from '../i18n/lang';
import { useLive, useLiveRevision, useUpdatedAt } from '../live/use-live';
import { findScope } from '../monitor/scope-tree';
import { useScopeTree } from '../monitor/use-scope-tree';
import { PairingScreen } from './pairing-screen';
import { wallText } from './text';
import { useBuildReload } from './use-build-reload';
import { definitionsOf, displayPictureKey, isRefused, useDisplayPicture } from './use-display-picture';
import { usePairing } from './use-pairing';
import { WallView } from './wall-view';
import styles from './wall.module.css';

/** Remembered across reloads: a screen that was enrolled and is refused says it was revoked. */
const ENROLLED_KEY = 'jobscope.display.enrolled';
const remember = (enrolled: boolean) => {
  try {
    if (enrolled) window.localStorage.setItem(ENROLLED_KEY, '1');
    else window.localStorage.removeItem(ENROLLED_KEY);
  } catch {
    /* a browser without storage says less, and loses nothing */
  }
};
const wasEnrolled = () => {
  try {
    return window.localStorage.getItem(ENROLLED_KEY) === '1';
  } catch {
    return false;
  }
};

export function DisplayScreen() {
  const queryClient = useQueryClient();
  // 'display': try the credential; 'pairing': show a code until an admin enrols this screen.
  const [mode, setMode] = useState<'display' | 'pairing'>('display');
  const [revoked, setRevoked] = useState(false);
  const picture = useDisplayPicture(mode === 'display');

  const refused = useCallback(() => {
    // Told twice at times (the socket and a fetch): the first one knows it was enrolled.
    setRevoked((was) => was || wasEnrolled());
    remember(false);
    queryClient.removeQueries({ queryKey: displayPictureKey });
    setMode('pairing');
  }, [queryClient]);
  const enrolled = useCallback(() => {
    setRevoked(false);
    setMode('display');
  }, []);

  useEffect(() => {
    if (mode === 'display' && isRefused(picture.error)) refused();
  }, [mode, picture.error, refused]);
  useEffect(() => {
    if (picture.data) remember(true);
  }, [picture.data]);

  const { pairing, trouble } = usePairing(mode === 'pairing', enrolled);
  if (mode === 'pairing') return <PairingScreen pairing={pairing} trouble={trouble} revoked={revoked} />;
  if (!picture.data) {
    // Not yet known whether this screen is enrolled: the console is being asked (and asked again).
    const failing = picture.failureCount > 0 ? { since: picture.errorUpdatedAt || Date.now(), status: 0 } : null;
    return <PairingScreen pairing={null} trouble={failing} revoked={false} checking />;
  }
  return <EnrolledWall picture={picture.data} onRefused={refused} />;
}

function EnrolledWall({ picture, onRefused }: { picture: DisplayPicture; onRefused: () => void }) {
  const queryClient = useQueryClient();
  const refetch = useCallback(() => void queryClient.invalidateQueries({ queryKey: displayPictureKey }), [queryClient]);
  const onDisplay = useCallback((notice: DisplayNotice) => (notice.state === 'revoked' ? onRefused() : refetch()), [onRefused, refetch]);
  const ignore = useCallback(() => {}, []);
  const live = useLive(true, { onUnauthorized: onRefused, onDefinitionsChanged: refetch, onAdminChanged: ignore, onDisplay }, { asDisplay: true });
  const revision = useLiveRevision(live.store);

  const defs = useMemo(() => definitionsOf(picture), [picture]);
  const tree = useScopeTree(defs, live.store, revision);
  const { display } = picture;
  const scope = tree && display.scope ? findScope(tree.roots, display.scope.id) : undefined;
  const updatedAt = useUpdatedAt(live.store, revision);
  useBuildReload(picture.build, updatedAt, live.connection.phase === 'live');

  return (
    <FixedLang lang={display.settings.language} timeZone={display.settings.timeZone}>
      {display.scope ? (
        <WallView scope={scope} settings={display.settings} connection={live.connection} consoleHost={display.consoleHost} updatedAt={updatedAt} />
      ) : (
        <NoScope />
      )}
    </FixedLang>
  );
}

function NoScope() {
  const t = useText(wallText);
  return (
    <p className={styles.message} data-testid="wall-no-scope">
      {t.noDisplayScope}
    </p>
  );
}
