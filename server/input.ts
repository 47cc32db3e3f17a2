// Bad input, found at the edge: a message for people and one per field for
// forms, each written once where it is found, in both languages of the View.
// A reply is in the language its request asks for (Accept-Language); logs, the
// command line and callers that ask for nothing get English.
import { z } from 'zod';
import { isLang, words, type Lang, type Words } from './domain/words';

export { words, type Lang, type Words };

/** The language a request asks for: the first of its Accept-Language tags we speak, else English. */
export function requestLang(acceptLanguage: string | undefined): Lang {
  const tags = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.split('-')[0], q: q === undefined ? 1 : Number(q) };
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q);
  return tags.map((t) => t.lang).find(isLang) ?? 'en';
}

export class InputError extends Error {
  constructor(
    readonly text: Words,
    readonly fieldWords: Record<string, Words> = {},
    readonly status: 400 | 404 | 409 | 502 = 400,
  ) {
    super(text.en);
  }

  /** The field messages in English, for logs and the command line. */
  get fields(): Record<string, string> {
    return this.in('en').fields;
  }

  in(lang: Lang): { error: string; fields: Record<string, string> } {
    return { error: this.text[lang], fields: Object.fromEntries(Object.entries(this.fieldWords).map(([k, w]) => [k, w[lang]])) };
  }
}

// zod asks a schema for its message while a parse runs, synchronously: the
// language being rendered is set around that parse and read by `says`.
let renderingLang: Lang = 'en';
const JAPANESE_ZOD_MESSAGES = z.locales.ja().localeError;

/** A schema's own message, in the language parseInput is rendering: `.min(1, says('…', '…'))`. */
export const says = (en: string, ja: string) => ({ error: () => (renderingLang === 'ja' ? ja : en) });

/** For custom issues raised inside a schema (superRefine): the message in the language being rendered. */
export const inRenderingLang = (w: Words): string => w[renderingLang];

function japaneseIssues(schema: z.ZodType, data: unknown): z.core.$ZodIssue[] | null {
  renderingLang = 'ja';
  try {
    const result = schema.safeParse(data, { error: JAPANESE_ZOD_MESSAGES });
    return result.success ? null : result.error.issues;
  } finally {
    renderingLang = 'en';
  }
}

export interface Issue {
  path: PropertyKey[];
  text: Words;
}

/** Parses data, or lists every problem found, each in both languages. */
export function check<T extends z.ZodType>(schema: T, data: unknown): { ok: true; data: z.infer<T> } | { ok: false; issues: Issue[] } {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, data: result.data };
  // Rendered in English now (its issues are built on first read); Japanese by a second parse.
  const en = result.error.issues;
  const ja = japaneseIssues(schema, data) ?? en;
  return { ok: false, issues: en.map((issue, i) => ({ path: issue.path, text: words(issue.message, ja[i]?.message ?? issue.message) })) };
}

export function parseInput<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const result = check(schema, data);
  if (result.ok) return result.data;
  const fields: Record<string, Words> = {};
  for (const issue of result.issues) fields[issue.path.join('.') || '_'] ??= issue.text;
  const [key, first] = Object.entries(fields)[0];
  throw new InputError(key === '_' ? first : words(`${key}: ${first.en}`, `${key}: ${first.ja}`), fields);
}
