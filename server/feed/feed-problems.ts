// Why the console last failed to pull a host's feed: kept in the store as an
// English sentence (also logged), shown on the Monitored hosts page in the
// operator's language. Each sentence is made and read back here.
import { readBack } from '../domain/words';

export const feedProblems = {
  tokenRefused: () => 'the feed refused the token',
  httpStatus: (status: number) => `the feed answered HTTP ${status}`,
  malformed: (why: string) => `malformed feed message: ${why}`,
  otherHost: (at: string, serves: string, wanted: string) => `the feed at ${at} serves host ${serves}, not ${wanted}`,
  unreachable: (at: string, cause: string) => `cannot reach ${at} (${cause})`,
  notApplied: (seq: number | null, unit: string | null, cause: string) =>
    seq === null ? `the console store refused this host's snapshot (${cause})` : `the console store refused event ${seq} of ${unit} (${cause})`,
};

export const feedProblemWords = readBack([
  [/^the feed refused the token$/, () => 'フィードがトークンを拒否しました'],
  [/^the feed answered HTTP (\d+)$/, (m) => `フィードが HTTP ${m[1]} で応答しました`],
  [/^malformed feed message: (.+)$/s, (m) => `フィードのメッセージが正しくありません: ${m[1]}`],
  [/^the feed at (\S+) serves host (\S+), not (\S+)$/, (m) => `${m[1]} のフィードはホスト ${m[2]} のもので、${m[3]} のものではありません`],
  [/^cannot reach (\S+) \((.+)\)$/s, (m) => `${m[1]} に接続できません (${m[2]})`],
  [/^the console store refused this host's snapshot \((.+)\)$/s, (m) => `コンソールのストアがこのホストのスナップショットを受け付けませんでした (${m[1]})`],
  [/^the console store refused event (\d+) of (.+) \((.+)\)$/s, (m) => `コンソールのストアが ${m[2]} のイベント ${m[1]} を受け付けませんでした (${m[3]})`],
]);
