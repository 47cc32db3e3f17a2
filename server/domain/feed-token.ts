// The rule for a feed token a person gives (jobscope host add, the View's register
// dialog, JOBSCOPE_AGENT_TOKEN for setup): long, random-looking, and sendable as a
// bearer token. Tokens setup makes itself are 32 random bytes (256 bits).
//
// How random it looks is a rough estimate of its entropy, in bits:
//   (characters − predictable characters) × log2(alphabet)
// - the alphabet is the smaller of the character classes the token uses (hex digits
//   16; else digits 10, lowercase 26, uppercase 26, other printable characters 32,
//   added up) and twice its distinct characters (a token drawn from a large alphabet
//   shows most of it; "abab…" does not);
// - a character is predictable when it continues the two before it, repeating or
//   stepping by one (aaa, abc, 987), or completes three characters seen earlier
//   (abcabc).
// A random 32-character base64url token (24 bytes) estimates at about 150 bits or
// more, never near 128; "Password1!Password1!…" at 50, a run of the alphabet at 20.
// It is no proof of randomness: a phrase of words can pass. The length counts too:
// no token under 32 characters is taken, whatever it estimates at.
import { words, type Words } from './words';

export const MIN_TOKEN_LENGTH = 32;
export const MAX_TOKEN_LENGTH = 256;
export const MIN_TOKEN_BITS = 128;
/** What a bearer token may hold (server/feed/agent-feed.ts checks it so). */
const PRINTABLE = /^[\x21-\x7e]+$/;

function alphabet(token: string): number {
  const distinct = new Set(token).size;
  let classes = 0;
  if (/^[0-9a-f]+$/.test(token) || /^[0-9A-F]+$/.test(token)) classes = 16;
  else {
    if (/[0-9]/.test(token)) classes += 10;
    if (/[a-z]/.test(token)) classes += 26;
    if (/[A-Z]/.test(token)) classes += 26;
    if (/[^0-9a-zA-Z]/.test(token)) classes += 32;
  }
  return Math.min(classes, 2 * distinct);
}

function predictable(token: string): number {
  let count = 0;
  for (let i = 2; i < token.length; i++) {
    const step = token.charCodeAt(i - 1) - token.charCodeAt(i - 2);
    const continues = Math.abs(step) <= 1 && token.charCodeAt(i) - token.charCodeAt(i - 1) === step;
    if (continues || token.slice(0, i - 1).includes(token.slice(i - 2, i + 1))) count++;
  }
  return count;
}

/** The token's estimated entropy in bits (see above); 0 for the empty token. */
export function tokenBits(token: string): number {
  if (token.length === 0) return 0;
  const size = alphabet(token);
  return size < 2 ? 0 : (token.length - predictable(token)) * Math.log2(size);
}

/** Why a token a person gives is not good enough, in both languages; null when it is. */
export function tokenProblem(token: string): Words | null {
  if (!PRINTABLE.test(token)) {
    return words('the token must be printable ASCII characters without spaces', 'トークンは空白を含まない ASCII の印字可能文字です');
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    return words(
      `the token must have at least ${MIN_TOKEN_LENGTH} characters (it has ${token.length}); use a random one, e.g. openssl rand -base64 32`,
      `トークンは ${MIN_TOKEN_LENGTH} 文字以上です (${token.length} 文字しかありません)。openssl rand -base64 32 などでランダムに作ってください`,
    );
  }
  if (token.length > MAX_TOKEN_LENGTH) {
    return words(`the token must have at most ${MAX_TOKEN_LENGTH} characters`, `トークンは ${MAX_TOKEN_LENGTH} 文字以内です`);
  }
  const bits = Math.floor(tokenBits(token));
  if (bits < MIN_TOKEN_BITS) {
    return words(
      `the token looks guessable (about ${bits} bits of an estimated ${MIN_TOKEN_BITS} needed: repeats, runs or few distinct characters); use a random one, e.g. openssl rand -base64 32`,
      `トークンが推測されやすい形です (推定 約 ${bits} ビット、${MIN_TOKEN_BITS} ビット以上が必要: 繰り返しや連続、文字の種類の少なさ)。openssl rand -base64 32 などでランダムに作ってください`,
    );
  }
  return null;
}
