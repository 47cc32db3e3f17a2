// The map's zoom: a few fixed steps, so that a link names one of them exactly.
export const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;
export const DEFAULT_ZOOM = 1;

/** A zoom from the URL ("1.5"); anything else is 100 %. */
export function parseZoom(value: string | null): number {
  const n = Number(value);
  return value !== null && value !== '' && (ZOOMS as readonly number[]).includes(n) ? n : DEFAULT_ZOOM;
}

/** The next step in (1) or out (-1), staying at the ends. */
export function zoomStep(zoom: number, direction: 1 | -1): number {
  const i = ZOOMS.findIndex((z) => z >= zoom);
  const at = i === -1 ? ZOOMS.length - 1 : ZOOMS[i] === zoom ? i : direction === 1 ? i - 1 : i;
  return ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, at + direction))];
}
