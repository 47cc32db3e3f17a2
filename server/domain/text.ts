// Text at the edge. What people type (names, comments) is refused when it
// carries characters that hide or disguise what it says: controls, bidi
// overrides, zero-width characters, line separators, broken surrogates. Job
// output is kept as it is, except a NUL, which PostgreSQL cannot store: it is
// shown as ␀ (U+2400) on both stores alike.
import { z } from 'zod';
import { says } from '../input';

// C0 controls but tab and line feed, DEL and C1 controls, the Arabic letter mark, zero-width
// characters and directional marks, bidi embeddings and overrides, line and paragraph
// separators, invisible operators, bidi isolates, the byte order mark, interlinear annotation.
const HIDDEN = '\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u061C\\u200B-\\u200F\\u202A-\\u202E\\u2028\\u2029\\u2060-\\u2064\\u2066-\\u206F\\uFEFF\\uFFF9-\\uFFFB';
const BROKEN_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const HIDDEN_IN_LINE = new RegExp(`[\\t\\n${HIDDEN}]|${BROKEN_SURROGATE}`);
const HIDDEN_IN_TEXT = new RegExp(`[${HIDDEN}]|${BROKEN_SURROGATE}`);

/** Whether a one-line text (a name) is free of hidden characters. */
export const isPlainLine = (text: string): boolean => !HIDDEN_IN_LINE.test(text);
/** Whether a text that may hold lines and tabs (a comment) is free of hidden characters. */
export const isPlainText = (text: string): boolean => !HIDDEN_IN_TEXT.test(text);

/** A one-line text of at most `max` characters: a name. */
export const plainLine = (schema: z.ZodString) =>
  schema.refine(isPlainLine, says('may not contain control, invisible or text-direction characters', '制御文字、不可視文字、文字方向の制御文字は使えません'));

/** A text that may span lines: a comment. */
export const plainText = (schema: z.ZodString) =>
  schema.refine(isPlainText, says('may not contain control, invisible or text-direction characters', '制御文字、不可視文字、文字方向の制御文字は使えません'));

/** A job's text as the store can keep it on every provider: a NUL becomes ␀. */
export function storableText<T extends string | null>(text: T): T {
  return (text === null || !text.includes('\u0000') ? text : text.replaceAll('\u0000', '\u2400')) as T;
}
