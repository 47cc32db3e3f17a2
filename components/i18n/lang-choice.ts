// Which language the View speaks: the user's choice, kept in this browser,
// else the browser's own language. Plain functions, tested without React.
import { isLang, type Lang } from '../../server/domain/words';

export { isLang, LANGS, type Lang } from '../../server/domain/words';

export const LANG_STORAGE_KEY = 'jobscope.lang';

/** Japanese for a browser that prefers it; English otherwise. */
export function langFromNavigator(language: string | undefined): Lang {
  return language?.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function chooseLang(stored: string | null, navigatorLanguage: string | undefined): Lang {
  return isLang(stored) ? stored : langFromNavigator(navigatorLanguage);
}

function storedLang(): string | null {
  try {
    return window.localStorage.getItem(LANG_STORAGE_KEY);
  } catch {
    return null; // storage switched off: the browser's language still applies
  }
}

/** In the browser: the language the user chose, else the browser's. */
export function browserLang(): Lang {
  return typeof window === 'undefined' ? 'en' : chooseLang(storedLang(), navigator.language);
}
