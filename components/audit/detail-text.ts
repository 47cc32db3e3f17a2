// Words for an audit entry's detail: a label in both languages for every field
// the server may record (server/audit/audit.ts) and for the coded values; a new
// field without a label here does not build.
import type { AuditDetailKey, LoginRefusal } from '../../server/audit/audit';
import { defineTexts } from '../i18n/texts';

const labelsEn = {
  from: 'From',
  reason: 'Reason',
  role: 'Role',
  disabled: 'Disabled',
  sessionsEnded: 'Sessions ended',
  session: 'Session',
  id: 'ID',
  parentId: 'Parent scope',
  scopeId: 'Scope',
  name: 'Name',
  comment: 'Comment',
  icon: 'Icon',
  host: 'Host',
  unit: 'Unit',
  address: 'Address',
  feedPort: 'Feed port',
  positions: 'Map positions of',
  background: 'Background',
  bytes: 'Bytes',
  webhookUrl: 'Webhook URL',
  webhookFilter: 'Webhook filter',
  scopes: 'Scopes',
  objects: 'Objects',
  backgrounds: 'Backgrounds',
  hostsAdded: 'Hosts added',
  hostsUpdated: 'Hosts updated',
  changed: 'Changed (not shown)',
  note: 'Note',
} satisfies Record<AuditDetailKey, string>;

const refusalsEn = {
  'unknown-user': 'unknown user',
  'wrong-password': 'wrong password',
  disabled: 'account disabled',
  'unknown-role': 'unknown role',
} satisfies Record<LoginRefusal, string>;

export const auditDetailText = defineTexts(
  { labels: labelsEn, refusals: refusalsEn, yes: 'yes', no: 'no', none: 'none', removed: 'removed' },
  {
    labels: {
      from: '接続元',
      reason: '理由',
      role: 'ロール',
      disabled: '無効',
      sessionsEnded: '終了したセッション',
      session: 'セッション',
      id: 'ID',
      parentId: '親スコープ',
      scopeId: 'スコープ',
      name: '名前',
      comment: 'コメント',
      icon: 'アイコン',
      host: 'ホスト',
      unit: 'ユニット',
      address: 'アドレス',
      feedPort: 'フィードのポート',
      positions: 'マップの配置',
      background: '背景',
      bytes: 'バイト数',
      webhookUrl: 'Webhook の URL',
      webhookFilter: 'Webhook の条件',
      scopes: 'スコープ',
      objects: 'オブジェクト',
      backgrounds: '背景',
      hostsAdded: '追加したホスト',
      hostsUpdated: '更新したホスト',
      changed: '変更 (非表示)',
      note: 'メモ',
    },
    refusals: {
      'unknown-user': '不明なユーザー',
      'wrong-password': 'パスワード違い',
      disabled: '無効なアカウント',
      'unknown-role': '不明なロール',
    },
    yes: 'はい',
    no: 'いいえ',
    none: 'なし',
    removed: '削除',
  },
);
