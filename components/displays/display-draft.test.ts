import { describe, expect, it } from 'vitest';
import { displayChangesSchema } from '../../server/displays/displays';
import { displaySettingsSchema } from '../../server/domain/display-settings';
import { changesOf, draftOf, settingsOf, toggleClass } from './display-draft';
import type { DisplayEntry } from './use-displays';

const display: DisplayEntry = {
  id: 7,
  name: 'Ops wall',
  scope: { id: 3, name: 'Payments' },
  settings: displaySettingsSchema.parse({ pageSeconds: 20, timeZone: 'Asia/Tokyo' }),
  enrolledBy: 'admin',
  enrolledAt: '2026-01-01T00:00:00.000Z',
  lastSeenAt: null,
  userAgent: '',
  revokedAt: null,
  state: 'active',
  connected: false,
  connectedSince: null,
};

const unchanged = () => ({ name: display.name, scopeId: display.scope?.id, settings: draftOf(display.settings) });

describe('the display form draft', () => {
  it('goes back to the same settings it came from', () => {
    expect(settingsOf(draftOf(display.settings))).toEqual(display.settings);
    expect(draftOf(display.settings)).toMatchObject({ pageSeconds: '20', timeZone: 'Asia/Tokyo' });
  });

  it('sends an empty time zone as the screen’s own, and seconds that are not a number as something the server refuses', () => {
    const settings = settingsOf({ ...draftOf(display.settings), timeZone: '  ', pageSeconds: '', rotateSeconds: 'ten' });
    expect(settings.timeZone).toBeNull();
    const parsed = displaySettingsSchema.safeParse(JSON.parse(JSON.stringify(settings)));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['pageSeconds', 'rotateSeconds']);
  });

  it('keeps the summary classes in the table’s order, each once', () => {
    expect(toggleClass(['warning', 'normal'], 'abnormal', true)).toEqual(['abnormal', 'warning', 'normal']);
    expect(toggleClass(['abnormal', 'warning'], 'abnormal', true)).toEqual(['abnormal', 'warning']);
    expect(toggleClass(['abnormal', 'warning'], 'abnormal', false)).toEqual(['warning']);
  });
});

describe('changesOf', () => {
  it('is empty when nothing was changed', () => {
    expect(changesOf(display, unchanged())).toEqual({});
  });

  it('names only what changed, each setting on its own', () => {
    const edited = unchanged();
    edited.name = 'Ops wall, left';
    edited.settings = { ...edited.settings, density: 'compact', timeZone: '', classes: toggleClass(edited.settings.classes, 'uncounted', false) };
    const changes = changesOf(display, edited);
    expect(changes).toEqual({
      name: 'Ops wall, left',
      settings: { density: 'compact', timeZone: null, classes: ['abnormal', 'warning', 'running', 'held', 'waiting', 'normal'] },
    });
    // What the server takes as it is.
    expect(displayChangesSchema.safeParse(changes).success).toBe(true);
  });

  it('moves a display, and counts a name only padded with spaces as unchanged', () => {
    expect(changesOf(display, { ...unchanged(), name: ' Ops wall ', scopeId: 4 })).toEqual({ scopeId: 4 });
  });

  it('sends a display with no scope left (deleted) its new one, and one still without it nothing', () => {
    const orphan = { ...display, scope: null };
    expect(changesOf(orphan, { ...unchanged(), scopeId: undefined })).toEqual({});
    expect(changesOf(orphan, { ...unchanged(), scopeId: 9 })).toEqual({ scopeId: 9 });
  });
});
