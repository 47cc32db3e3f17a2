// Why a run ended as it did, when the job host says so itself. The spool keeps
// the reason as English text (it is data, read by consoles of any version); the
// View reads the ones made here back into the operator's language. Any other
// reason (a reporter's --message) is shown as given.
import { readBack } from './words';

export const runReasons = {
  stop: () => 'stop',
  failover: (node: string) => `failover: was running on node ${node}`,
  nodeRestart: (pid: number | string) => `node restart: process ${pid} is gone`,
  notFound: (program: string) => `command not found: ${program}`,
  denied: (program: string) => `permission denied: ${program}`,
  cannotRun: (program: string, why?: string) => (why ? `cannot run ${program}: ${why}` : `cannot run ${program}`),
  /** The spool's record of the run had unreadable fields (named): they are left out. */
  damaged: (fields: string[]) => `damaged spool record: ${fields.join(', ')} left out`,
};

/** A recorded reason in both languages: the job host's own ones translated, others as they are. */
export const reasonWords = readBack([
  [/^stop$/, () => '停止 (エージェントの停止で終了)'],
  [/^failover: was running on node (.+)$/s, (m) => `フェイルオーバー: ノード ${m[1]} で実行中でした`],
  [/^node restart: process (.+) is gone$/s, (m) => `ノードの再起動: プロセス ${m[1]} がありません`],
  [/^command not found: (.+)$/s, (m) => `コマンドが見つかりません: ${m[1]}`],
  [/^permission denied: (.+)$/s, (m) => `実行の許可がありません: ${m[1]}`],
  [/^cannot run (.+?): (.+)$/s, (m) => `${m[1]} を実行できません: ${m[2]}`],
  [/^cannot run (.+)$/s, (m) => `${m[1]} を実行できません`],
  [/^damaged spool record: (.+) left out$/s, (m) => `スプールの記録が壊れています: ${m[1]} を除きました`],
]);
