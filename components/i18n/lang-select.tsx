'use client';
import { common } from './dictionary';
import { useLang, useSetLang, useText } from './lang';
import { isLang, LANGS } from './lang-choice';

// Each language named in itself, so that anyone can find their own.
const LANG_NAMES = { en: 'English', ja: '日本語' } as const;

export function LangSelect() {
  const t = useText(common);
  const lang = useLang();
  const setLang = useSetLang();
  return (
    <label className="lang-select">
      <span className="sr-only">{t.language}</span>
      <select data-testid="language" value={lang} onChange={(e) => isLang(e.target.value) && setLang(e.target.value)}>
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANG_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
