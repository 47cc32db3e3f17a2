'use client';
import { useSyncExternalStore } from 'react';
import { langFromNavigator, type Lang } from './dictionary';

function subscribe(onChange: () => void) {
  window.addEventListener('languagechange', onChange);
  return () => window.removeEventListener('languagechange', onChange);
}

/** The status vocabulary follows the browser's language; the server render uses English. */
export function useLang(): Lang {
  return useSyncExternalStore(subscribe, () => langFromNavigator(navigator.language), () => 'en');
}
