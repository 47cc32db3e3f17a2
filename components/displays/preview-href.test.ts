import { describe, expect, it } from 'vitest';
import { displaySettingsSchema } from '../../server/domain/display-settings';
import { settingsFromParams } from '../display/wall-settings';
import { previewHref } from './preview-href';

const paramsOf = (href: string) => new URL(href, 'https://console.example').searchParams;

describe('previewHref', () => {
  it.each([
    ['the defaults', {}],
    ['every setting changed', { rotate: true, rotateSeconds: 45, pageSeconds: 20, density: 'compact', classes: ['abnormal', 'warning'], timeZone: 'Asia/Tokyo', language: 'ja' }],
    ['a time zone with a plus sign', { timeZone: 'Etc/GMT+5' }],
  ])('carries the display’s scope and settings as the preview reads them: %s', (_, given) => {
    const settings = displaySettingsSchema.parse(given);
    const href = previewHref({ scope: { id: 12, name: 'Payments' }, settings })!;
    expect(href.startsWith('/display/preview?')).toBe(true);
    expect(paramsOf(href).get('scope')).toBe('12');
    expect(settingsFromParams(paramsOf(href))).toEqual(settings);
  });

  it('names only what the preview would not take by itself', () => {
    const href = previewHref({ scope: { id: 3, name: 'Night' }, settings: displaySettingsSchema.parse({}) })!;
    expect(href).toBe('/display/preview?scope=3&density=comfortable&page=15&lang=en');
  });

  it('has nothing to preview for a display without a scope', () => {
    expect(previewHref({ scope: null, settings: displaySettingsSchema.parse({}) })).toBeNull();
  });
});
