// Words shared by every screen: sign-in, the top bar, the connection state,
// summary classes and the monitoring page. Status names come in both languages
// from server/domain/status.ts (the names operators know from the classic consoles).
import { statusInfo, type Status, type SummaryClass } from '../../server/domain/status';
import type { Lang } from './lang-choice';
import { defineTexts } from './texts';

export type { Lang } from './lang-choice';

export function statusName(status: Status, lang: Lang): string {
  return statusInfo(status)[lang];
}

const summaryEn: Record<SummaryClass, string> = {
  abnormal: 'Abnormal',
  warning: 'Warning',
  running: 'Running',
  held: 'Held',
  waiting: 'Waiting',
  normal: 'Normal',
  uncounted: 'Other',
};

export const common = defineTexts(
  {
    product: 'Jobscope',
    language: 'Language',
    summary: summaryEn,
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
      unreachableHost: (host: string) => `Console host ${host} is not reachable`,
      unreachable: 'The console could not be reached. Check the network and try again.',
    },
    header: {
      console: 'Console',
      logout: 'Log out',
      define: 'Definition mode',
      doneDefining: 'Monitoring mode',
      nav: 'Pages',
      monitor: 'Monitor',
      hosts: 'Monitored hosts',
      users: 'Users',
      audit: 'Audit log',
      displays: 'Displays',
      roles: { admin: 'admin', operator: 'operator', guest: 'guest' },
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
      emptyHintOperator: 'Switch to definition mode to create a business scope and monitoring objects.',
      emptyHintGuest: 'An operator has not defined any business scopes yet.',
      emptyScope: 'Nothing in this scope yet.',
      stale: 'Stale',
      lastContact: (when: string) => `last contact ${when}`,
      neverContacted: 'never contacted',
      total: 'All scopes',
      acknowledged: 'Acknowledged',
      scopeTree: 'Business scopes',
      expand: 'Expand',
      collapse: 'Collapse',
      views: { overview: 'Tiles', map: 'Map', list: 'List', schedule: 'Schedule' },
      viewTabs: 'View',
    },
  },
  {
    product: 'Jobscope',
    language: '言語',
    summary: {
      abnormal: '異常',
      warning: '警告',
      running: '実行中',
      held: '保留',
      waiting: '待ち',
      normal: '正常',
      uncounted: 'その他',
    },
    login: {
      title: 'コンソールにログイン',
      user: 'ユーザー名',
      password: 'パスワード',
      host: '接続ホスト',
      hostHint: 'コンソールマネージャーの論理ホスト名またはアドレス',
      submit: 'ログイン',
      submitting: 'ログイン中…',
      redirecting: (host) => `${host} のコンソールを開いています…`,
      failed: 'ログインできませんでした。もう一度お試しください。',
      unreachableHost: (host) => `コンソールホスト ${host} に接続できません`,
      unreachable: 'コンソールに接続できません。ネットワークを確認して、もう一度お試しください。',
    },
    header: {
      console: 'コンソール',
      logout: 'ログアウト',
      define: '定義モード',
      doneDefining: '監視モード',
      nav: 'ページ',
      monitor: '監視',
      hosts: '監視対象ホスト',
      users: 'ユーザー',
      audit: '監査ログ',
      displays: 'ウォールディスプレイ',
      roles: { admin: '管理者', operator: 'オペレーター', guest: 'ゲスト' },
    },
    connection: {
      connecting: (host) => `${host} に接続しています…`,
      live: 'ライブ',
      reconnecting: (host, since) => `${since} から ${host} に再接続中`,
    },
    monitor: {
      loading: '読み込み中…',
      waitingForConsole: 'コンソールが応答しません。再試行しています…',
      loadFailed: '定義を読み込めませんでした。',
      empty: '業務スコープがまだありません。',
      emptyHintOperator: '定義モードに切り替えて、業務スコープと監視オブジェクトを作成してください。',
      emptyHintGuest: 'オペレーターがまだ業務スコープを定義していません。',
      emptyScope: 'このスコープにはまだ何もありません。',
      stale: '情報が古い',
      lastContact: (when) => `最終接続 ${when}`,
      neverContacted: '未接続',
      total: 'すべてのスコープ',
      acknowledged: '確認済み',
      scopeTree: '業務スコープ',
      expand: '展開',
      collapse: '折りたたむ',
      views: { overview: 'タイル', map: 'マップ', list: 'リスト', schedule: 'スケジュール' },
      viewTabs: '表示',
    },
  },
);
