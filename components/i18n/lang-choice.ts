// Which language the View speaks: the user's choice, kept in this browser,
// else the browser's own language. Plain functions, tested without React.
export const LANGS = ['en', 'ja'] as const;
export type Lang = (typeof LANGS)[number];

export const LANG_STORAGE_KEY = 'jobscope.lang';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** Japanese for a browser that prefers it; English otherwise. */
export function langFromNavigator(language: string | undefined): Lang {
  return language?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function chooseLang(stored: string | null, navigatorLanguage: string | undefined): Lang {
  return isLang(stored) ? stored : langFromNavigator(navigatorLanguage);
}
