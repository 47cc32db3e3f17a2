import { defineTexts } from '../i18n/texts';

export const wallText = defineTexts(
  {
    page: (n: number, of: number) => `Page ${n} of ${of}`,
    updated: (time: string) => `Updated ${time}`,
    live: 'Live',
    connecting: (host: string) => `Connecting to ${host}…`,
    lost: (host: string, since: string) => `Connection lost: reconnecting to ${host} since ${since}`,
    stale: 'Stale',
    acknowledged: 'Acknowledged',
    objects: (n: number) => `${n} objects`,
    noScope: 'Choose a business scope: add ?scope= and its number to the address.',
    unknownScope: 'This business scope does not exist (any more).',
    empty: 'This business scope has no monitoring objects.',
  },
  {
    page: (n, of) => `${of} ページ中 ${n} ページ目`,
    updated: (time) => `${time} 更新`,
    live: 'ライブ',
    connecting: (host) => `${host} に接続しています…`,
    lost: (host, since) => `接続が切れました: ${since} から ${host} に再接続中`,
    stale: '情報が古い',
    acknowledged: '確認済み',
    objects: (n) => `${n} 個の監視対象`,
    noScope: '業務スコープを選んでください: アドレスに ?scope= とその番号を付けます。',
    unknownScope: 'この業務スコープは存在しません(削除されました)。',
    empty: 'この業務スコープには監視対象がありません。',
  },
);
