// Words of the audit log page, with a name in both languages for every action
// the server records (server/audit/audit.ts): a new action without a name here
// does not build.
import type { AuditAction } from '../../server/audit/audit';
import { defineTexts } from '../i18n/texts';

const actionsEn = {
  login: 'Signed in',
  'login.refused': 'Sign-in refused',
  logout: 'Signed out',
  'user.create': 'User created',
  'user.update': 'User changed',
  'user.password': 'Password reset',
  'session.end': 'Session ended',
  'scope.create': 'Business scope created',
  'scope.update': 'Business scope changed',
  'scope.delete': 'Business scope deleted',
  'object.create': 'Monitoring object created',
  'object.update': 'Monitoring object changed',
  'object.delete': 'Monitoring object deleted',
  'host.create': 'Monitored host registered',
  'host.delete': 'Monitored host removed',
  'definitions.import': 'Definitions imported',
  'definitions.export': 'Definitions exported',
  ack: 'Abnormal end acknowledged',
} satisfies Record<AuditAction, string>;

/** Every action, in the server's order of its list. */
export const ACTIONS = Object.keys(actionsEn) as AuditAction[];

export const auditText = defineTexts(
  {
    title: 'Audit log',
    newestFirst: 'Newest first',
    filter: 'Action',
    allActions: 'All actions',
    commandLine: '(command line)',
    refresh: 'Refresh',
    loading: 'Loading…',
    loadFailed: 'Could not load the audit log.',
    empty: 'No entries.',
    emptyFiltered: 'No entries for this action.',
    older: 'Older entries',
    loadingOlder: 'Loading…',
    end: 'End of the log.',
    shown: (n: number) => `${n} entries shown`,
    columns: { at: 'Time', user: 'User', action: 'Action', target: 'Target', detail: 'Detail' },
    actions: actionsEn,
  },
  {
    title: '監査ログ',
    newestFirst: '新しい順',
    filter: '操作',
    allActions: 'すべての操作',
    commandLine: '(コマンドライン)',
    refresh: '更新',
    loading: '読み込み中…',
    loadFailed: '監査ログを読み込めませんでした。',
    empty: 'エントリーがありません。',
    emptyFiltered: 'この操作のエントリーはありません。',
    older: 'さらに古いエントリー',
    loadingOlder: '読み込み中…',
    end: 'ログの最後です。',
    shown: (n) => `${n} 件を表示`,
    columns: { at: '日時', user: 'ユーザー', action: '操作', target: '対象', detail: '詳細' },
    actions: {
      login: 'ログイン',
      'login.refused': 'ログイン拒否',
      logout: 'ログアウト',
      'user.create': 'ユーザー作成',
      'user.update': 'ユーザー変更',
      'user.password': 'パスワード再設定',
      'session.end': 'セッション終了',
      'scope.create': '業務スコープ作成',
      'scope.update': '業務スコープ変更',
      'scope.delete': '業務スコープ削除',
      'object.create': '監視オブジェクト作成',
      'object.update': '監視オブジェクト変更',
      'object.delete': '監視オブジェクト削除',
      'host.create': '監視対象ホスト登録',
      'host.delete': '監視対象ホスト削除',
      'definitions.import': '定義インポート',
      'definitions.export': '定義エクスポート',
      ack: '異常終了の確認',
    },
  },
);
