// What each flag is called, in both languages (the classic consoles' words in Japanese).
import type { FlagKind } from './evaluate';

export const FLAG_WORDS: Record<FlagKind, { en: string; ja: string }> = {
  'start-delay': { en: 'Start delay', ja: '開始遅延' },
  'end-delay': { en: 'End delay', ja: '終了遅延' },
  missed: { en: 'Missed', ja: '未実行' },
  overrun: { en: 'Overrun', ja: '実行時間超過' },
};
