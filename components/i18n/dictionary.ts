// Every string the View shows, in one place, so that a later pass can add a
// Japanese dictionary beside this one. Status names already come in both
// languages from server/domain/status.ts.
import { statusInfo, type Status, type SummaryClass } from '../../server/domain/status';

export type Lang = 'en' | 'ja';

/** The browser's language decides the status vocabulary: Japanese operators know the Japanese names. */
export function langFromNavigator(language: string | undefined): Lang {
  return language?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function statusName(status: Status, lang: Lang): string {
  return statusInfo(status)[lang];
}

export const SUMMARY_LABELS: Record<SummaryClass, string> = {
  abnormal: 'Abnormal',
  warning: 'Warning',
  running: 'Running',
  held: 'Held',
  waiting: 'Waiting',
  normal: 'Normal',
  uncounted: 'Other',
};

export const text = {
  product: 'Jobscope',
  login: {
    title: 'Sign in to a console',
    user: 'User name',
    password: 'Password',
    host: 'Connection host',
    hostHint: 'Logical host name or address of a console manager',
    submit: 'Sign in',
    submitting: 'Signing in…',
    redirecting: (host: string) => `Opening the console on ${host}…`,
    failed: 'Sign-in failed. Try again.',
    unreachable: 'The console could not be reached. Check the network and try again.',
  },
  header: {
    console: 'Console',
    logout: 'Log out',
    define: 'Edit definitions',
    doneDefining: 'Done',
  },
  connection: {
    connecting: (host: string) => `Connecting to ${host}…`,
    live: 'Live',
    reconnecting: (host: string, since: string) => `Reconnecting to ${host} since ${since}`,
  },
  monitor: {
    loading: 'Loading…',
    waitingForConsole: 'The console does not answer yet; trying again…',
    loadFailed: 'Could not load the definitions.',
    empty: 'No business scopes yet.',
    emptyHintOperator: 'Use “Edit definitions” to create a business scope and monitoring objects.',
    emptyHintGuest: 'An operator has not defined any business scopes yet.',
    emptyScope: 'Nothing in this scope yet.',
    stale: 'Stale',
    lastContact: (when: string) => `last contact ${when}`,
    neverContacted: 'never contacted',
    total: 'All scopes',
  },
  definitions: {
    title: 'Definitions',
    scopeTitle: 'New business scope',
    objectTitle: 'New monitoring object',
    hostTitle: 'Register a monitored host',
    hostsTitle: 'Monitored hosts',
    name: 'Name',
    comment: 'Comment',
    parent: 'Parent scope',
    noParent: '(top level)',
    scope: 'Business scope',
    chooseScope: 'Choose a scope',
    host: 'Target host',
    chooseHost: 'Choose a host',
    noHosts: 'No monitored host is registered yet.',
    unit: 'Unit full name',
    unitHint: '/Group/Jobnet or AJSROOT1:/Group/Jobnet',
    address: 'Address',
    feedPort: 'Feed port',
    token: 'Feed token',
    create: 'Create',
    register: 'Register',
    saving: 'Saving…',
    delete: 'Delete',
    confirmDelete: 'Confirm delete',
    cancel: 'Cancel',
    created: (name: string) => `Created ${name}.`,
    stale: 'stale',
    ok: 'reachable',
    unwatched: 'not watched (no monitoring object names it)',
  },
} as const;
