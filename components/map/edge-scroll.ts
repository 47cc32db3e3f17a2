// Scrolling the map while an icon is dragged near the edge of its viewport: how
// fast, from where the pointer is. Pure, so that it can be tested without a browser.

/** How far in from each edge the map starts to scroll (px on screen), at most a quarter of the viewport. */
export const EDGE_BAND = 48;
/** The speed at the edge and beyond it (px on screen per second). */
export const EDGE_SPEED = 900;

export interface Point {
  x: number;
  y: number;
}

/** The visible part of the viewport, in client pixels (its scroll bars left out). */
export interface ViewportRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * One axis: 0 outside the band, growing from the band's inner side to `max` at the
 * edge and beyond it; negative toward the start. Only toward where the pointer has
 * gone since the drag began, so an icon picked up at the edge does not set the map moving.
 */
function axisSpeed(at: number, from: number, start: number, size: number, max: number): number {
  const band = Math.min(EDGE_BAND, size / 4);
  if (band <= 0) return 0;
  const depth = (inside: number) => Math.min(1, Math.max(0, (band - inside) / band));
  const back = at < start ? depth(at - from) : 0;
  const ahead = at > start ? depth(from + size - at) : 0;
  // `|| 0`: no negative zero when neither edge is near.
  return Math.round(max * (ahead - back)) || 0;
}

/** The scroll velocity (px per second, x and y) for a drag whose pointer began at `start` and is now at `pointer`. */
export function edgeScrollVelocity(pointer: Point, start: Point, viewport: ViewportRect, max = EDGE_SPEED): Point {
  return {
    x: axisSpeed(pointer.x, viewport.left, start.x, viewport.width, max),
    y: axisSpeed(pointer.y, viewport.top, start.y, viewport.height, max),
  };
}
