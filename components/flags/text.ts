import { defineTexts } from '../i18n/texts';

export const flagText = defineTexts(
  {
    flags: 'Flags',
    acknowledged: 'acknowledged',
    count: (kind: string, raised: number, open: number) =>
      open === raised ? `${kind}: ${raised} objects` : `${kind}: ${raised} objects, ${raised - open} of them acknowledged`,
    countShort: (kind: string, raised: number) => `${kind}: ${raised}`,
  },
  {
    flags: 'フラグ',
    acknowledged: '確認済み',
    count: (kind, raised, open) => (open === raised ? `${kind}: ${raised} 件` : `${kind}: ${raised} 件 (うち ${raised - open} 件確認済み)`),
    countShort: (kind, raised) => `${kind}: ${raised}`,
  },
);
