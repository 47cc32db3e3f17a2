// Tile colours come from the one status table; text on them must stay readable.
import { colourOf, statusInfo, type Status } from '../../server/domain/status';

/** Dark or light text, whichever reads better on the status colour (WCAG relative luminance). */
export function inkFor(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast against near-black (#111) versus white; pick the larger.
  return (luminance + 0.05) / (0.0056 + 0.05) >= 1.05 / (luminance + 0.05) ? '#111418' : '#ffffff';
}

/** "No colour" statuses (No status, Not registered) draw as an outline, not a white block. */
export function hasColour(status: Status): boolean {
  return statusInfo(status).colour !== 'none';
}

export function statusStyle(status: Status): Record<string, string> {
  const colour = colourOf(status);
  return { '--status-colour': colour, '--status-ink': inkFor(colour) };
}
