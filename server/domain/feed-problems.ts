// Why the console last failed to pull or store a host's feed: a code and its
// parameters, kept in the store (FeedState.lastError, as JSON) and pushed live
// with the host's state; worded in the reader's language only when shown (the
// hosts page, an object's detail and tile, the log in English).
import { words, type Words } from './words';

export type FeedProblem =
  | { code: 'token-refused' }
  | { code: 'http-status'; status: number }
  | { code: 'malformed'; detail: string }
  | { code: 'too-large'; bytes: number }
  | { code: 'other-host'; at: string; serves: string; wanted: string }
  | { code: 'unreachable'; at: string; cause: string }
  | { code: 'certificate'; at: string; why: string }
  | { code: 'certificate-names'; at: string; name: string; address: string; names: string }
  | { code: 'pin-mismatch'; at: string; presented: string }
  | { code: 'not-tls'; at: string }
  /** The console store refused a batch: at event `seq` of `unit`, or (seq null) the host's snapshot. */
  | { code: 'not-applied'; seq: number | null; unit: string | null; cause: string }
  /** A sentence an older build stored, shown as it is. */
  | { code: 'text'; text: string };

type Code = FeedProblem['code'];
type Of<C extends Code> = Extract<FeedProblem, { code: C }>;

export const feedProblems = {
  tokenRefused: (): FeedProblem => ({ code: 'token-refused' }),
  httpStatus: (status: number): FeedProblem => ({ code: 'http-status', status }),
  malformed: (detail: string): FeedProblem => ({ code: 'malformed', detail }),
  tooLarge: (bytes: number): FeedProblem => ({ code: 'too-large', bytes }),
  otherHost: (at: string, serves: string, wanted: string): FeedProblem => ({ code: 'other-host', at, serves, wanted }),
  unreachable: (at: string, cause: string): FeedProblem => ({ code: 'unreachable', at, cause }),
  certificate: (at: string, why: string): FeedProblem => ({ code: 'certificate', at, why }),
  certificateNames: (at: string, name: string, address: string, names: string): FeedProblem => ({ code: 'certificate-names', at, name, address, names }),
  pinMismatch: (at: string, presented: string): FeedProblem => ({ code: 'pin-mismatch', at, presented }),
  notTls: (at: string): FeedProblem => ({ code: 'not-tls', at }),
  notApplied: (seq: number | null, unit: string | null, cause: string): FeedProblem => ({ code: 'not-applied', seq, unit, cause }),
};

const WORDING: { [C in Code]: (p: Of<C>) => Words } = {
  'token-refused': () => words('the feed refused the token', 'フィードがトークンを拒否しました'),
  'http-status': (p) => words(`the feed answered HTTP ${p.status}`, `フィードが HTTP ${p.status} で応答しました`),
  malformed: (p) => words(`malformed feed message: ${p.detail}`, `フィードのメッセージが正しくありません: ${p.detail}`),
  'too-large': (p) => words(`the feed's answer is larger than ${p.bytes} bytes`, `フィードの応答が ${p.bytes} バイトを超えています`),
  'other-host': (p) => words(`the feed at ${p.at} serves host ${p.serves}, not ${p.wanted}`, `${p.at} のフィードはホスト ${p.serves} のもので、${p.wanted} のものではありません`),
  unreachable: (p) => words(`cannot reach ${p.at} (${p.cause})`, `${p.at} に接続できません (${p.cause})`),
  certificate: (p) => words(`the certificate of ${p.at} is not trusted: ${p.why}`, `${p.at} の証明書は信頼できません: ${p.why}`),
  'certificate-names': (p) =>
    words(`the certificate of ${p.at} names neither ${p.name} nor ${p.address} (it names ${p.names})`, `${p.at} の証明書には ${p.name} も ${p.address} もありません (証明書の名前: ${p.names})`),
  'pin-mismatch': (p) =>
    words(`the certificate of ${p.at} is not the pinned one (it presents ${p.presented})`, `${p.at} の証明書は登録したフィンガープリントのものではありません (提示されたもの: ${p.presented})`),
  'not-tls': (p) => words(`the feed at ${p.at} does not speak TLS`, `${p.at} のフィードは TLS で応答しません`),
  'not-applied': (p) =>
    p.seq === null
      ? words(`the console store refused this host's snapshot (${p.cause})`, `コンソールのストアがこのホストのスナップショットを受け付けませんでした (${p.cause})`)
      : words(`the console store refused event ${p.seq} of ${p.unit} (${p.cause})`, `コンソールのストアが ${p.unit} のイベント ${p.seq} を受け付けませんでした (${p.cause})`),
  text: (p) => words(p.text, p.text),
};

/** A problem in every language the View speaks. */
export function problemWords(problem: FeedProblem): Words {
  return (WORDING[problem.code] as (p: FeedProblem) => Words)(problem);
}

/** As the store keeps it. */
export const storedProblem = (problem: FeedProblem): string => JSON.stringify(problem);

/** A stored problem; a sentence an older build stored is kept as it is. */
export function readProblem(stored: string | null): FeedProblem | null {
  if (stored === null) return null;
  try {
    const parsed = JSON.parse(stored) as FeedProblem;
    if (parsed && typeof parsed === 'object' && parsed.code in WORDING) return parsed;
  } catch {
    // not JSON: written by an older build
  }
  return { code: 'text', text: stored };
}
