// Words for people, in every language the View speaks. A message is written
// once where it arises, in English and Japanese; whoever shows it picks one.

export const LANGS = ['en', 'ja'] as const;
export type Lang = (typeof LANGS)[number];

export interface Words {
  en: string;
  ja: string;
}

export const words = (en: string, ja: string): Words => ({ en, ja });

export const isLang = (value: unknown): value is Lang => (LANGS as readonly unknown[]).includes(value);

/** How a stored English sentence reads in Japanese: its pattern, and the Japanese made from the match. */
export type Reading = [pattern: RegExp, japanese: (m: RegExpExecArray) => string];

/**
 * For sentences kept in English as data (a job host's reasons, a feed's last
 * error): the reader gives both languages for the ones it knows, and any other
 * sentence as it is.
 */
export function readBack(readings: Reading[]): (text: string) => Words {
  return (text) => {
    for (const [pattern, japanese] of readings) {
      const m = pattern.exec(text);
      if (m) return words(text, japanese(m));
    }
    return words(text, text);
  };
}
