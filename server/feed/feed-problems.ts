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
  certificate: (at: string, why: string) => `the certificate of ${at} is not trusted: ${why}`,
  certificateNames: (at: string, name: string, address: string, names: string) => `the certificate of ${at} names neither ${name} nor ${address} (it names ${names})`,
  pinMismatch: (at: string, presented: string) => `the certificate of ${at} is not the pinned one (it presents ${presented})`,
  notTls: (at: string) => `the feed at ${at} does not speak TLS`,
  notApplied: (seq: number | null, unit: string | null, cause: string) =>
    seq === null ? `the console store refused this host's snapshot (${cause})` : `the console store refused event ${seq} of ${unit} (${cause})`,
};

export const feedProblemWords = readBack([
  [/^the feed refused the token$/, () => 'フィードがトークンを拒否しました'],
  [/^the feed answered HTTP (\d+)$/, (m) => `フィードが HTTP ${m[1]} で応答しました`],
  [/^malformed feed message: (.+)$/s, (m) => `フィードのメッセージが正しくありません: ${m[1]}`],
  [/^the feed at (\S+) serves host (\S+), not (\S+)$/, (m) => `${m[1]} のフィードはホスト ${m[2]} のもので、${m[3]} のものではありません`],
  [/^cannot reach (\S+) \((.+)\)$/s, (m) => `${m[1]} に接続できません (${m[2]})`],
  [/^the certificate of (\S+) is not trusted: (.+)$/s, (m) => `${m[1]} の証明書は信頼できません: ${m[2]}`],
  [/^the certificate of (\S+) names neither (\S+) nor (\S+) \(it names (.+)\)$/s, (m) => `${m[1]} の証明書には ${m[2]} も ${m[3]} もありません (証明書の名前: ${m[4]})`],
  [/^the certificate of (\S+) is not the pinned one \(it presents (\S+)\)$/, (m) => `${m[1]} の証明書は登録したフィンガープリントのものではありません (提示されたもの: ${m[2]})`],
  [/^the feed at (\S+) does not speak TLS$/, (m) => `${m[1]} のフィードは TLS で応答しません`],
  [/^the console store refused this host's snapshot \((.+)\)$/s, (m) => `コンソールのストアがこのホストのスナップショットを受け付けませんでした (${m[1]})`],
  [/^the console store refused event (\d+) of (.+) \((.+)\)$/s, (m) => `コンソールのストアが ${m[2]} のイベント ${m[1]} を受け付けませんでした (${m[3]})`],
]);
