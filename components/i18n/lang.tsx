'use client';
// The language of the whole View, switchable at any time without a reload.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { browserLang, LANG_STORAGE_KEY, type Lang } from './lang-choice';
import type { Texts, Widen } from './texts';
import { dateLocale, formatClock, formatDateTime } from './time';

interface LangState {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

const LangContext = createContext<LangState>({ lang: 'en', setLang: () => {} });

export function LangProvider({ children }: { children: ReactNode }) {
  // The first render matches the server's (English); the choice applies right after.
  const [lang, setLangState] = useState<Lang>('en');
  useEffect(() => {
    const sync = () => setLangState(browserLang());
    sync();
    window.addEventListener('languagechange', sync);
    window.addEventListener('storage', sync);
    return () => {
      window.removeEventListener('languagechange', sync);
      window.removeEventListener('storage', sync);
    };
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    try {
      window.localStorage.setItem(LANG_STORAGE_KEY, next);
    } catch {
      /* kept for this page only */
    }
    setLangState(next);
  }, []);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

/** The time zone of the clocks below; undefined: the browser's. */
const TimeZoneContext = createContext<string | undefined>(undefined);

const keepLang = () => {};

/**
 * A part of the View in a language and a time zone of its own, whatever the browser says:
 * a wall display shows those its admin set for it.
 */
export function FixedLang({ lang, timeZone, children }: { lang: Lang; timeZone?: string | null; children: ReactNode }) {
  const value = useMemo(() => ({ lang, setLang: keepLang }), [lang]);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return (
    <LangContext.Provider value={value}>
      <TimeZoneContext.Provider value={timeZone ?? undefined}>{children}</TimeZoneContext.Provider>
    </LangContext.Provider>
  );
}

export function useLang(): Lang {
  return useContext(LangContext).lang;
}

export function useSetLang(): (lang: Lang) => void {
  return useContext(LangContext).setLang;
}

/** The words of one domain in the current language. */
export function useText<T>(texts: Texts<T>): Widen<T> {
  return texts[useLang()];
}

const browserLanguage = () => (typeof navigator === 'undefined' ? undefined : navigator.language);

/** Formats a time in the operator's time zone, dated when not today, in the language on screen. */
export function useClock(): (when: number | string | Date) => string {
  const lang = useLang();
  const timeZone = useContext(TimeZoneContext);
  return useCallback((when) => formatClock(when, new Date(), dateLocale(lang, browserLanguage()), timeZone), [lang, timeZone]);
}

/** Formats a time with its date always, in the operator's time zone and the language on screen. */
export function useDateTime(): (when: number | string | Date) => string {
  const lang = useLang();
  return useCallback((when) => formatDateTime(when, dateLocale(lang, browserLanguage())), [lang]);
}
