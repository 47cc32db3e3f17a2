import { describe, expect, it } from 'vitest';
import { EDGE_BAND, EDGE_SPEED, edgeScrollVelocity } from './edge-scroll';

// A viewport of 800 × 600 at (100, 50): its edges are x 100 and 900, y 50 and 650.
const viewport = { left: 100, top: 50, width: 800, height: 600 };
const middle = { x: 500, y: 350 };

describe('scrolling the map at the edge of a drag', () => {
  it('stays still away from the edges', () => {
    expect(edgeScrollVelocity(middle, middle, viewport)).toEqual({ x: 0, y: 0 });
    expect(edgeScrollVelocity({ x: 900 - EDGE_BAND - 1, y: 650 - EDGE_BAND - 1 }, middle, viewport)).toEqual({ x: 0, y: 0 });
    expect(edgeScrollVelocity({ x: 100 + EDGE_BAND, y: 50 + EDGE_BAND }, middle, viewport)).toEqual({ x: 0, y: 0 });
  });

  it('scrolls toward the edge the pointer nears, faster the nearer', () => {
    const right = (x: number) => edgeScrollVelocity({ x, y: 350 }, middle, viewport).x;
    expect(right(900 - EDGE_BAND / 2)).toBe(EDGE_SPEED / 2);
    expect(right(900 - EDGE_BAND / 4)).toBeGreaterThan(right(900 - EDGE_BAND / 2));
    expect(right(900)).toBe(EDGE_SPEED);
    expect(edgeScrollVelocity({ x: 500, y: 50 + EDGE_BAND / 2 }, middle, viewport)).toEqual({ x: 0, y: -EDGE_SPEED / 2 });
    expect(edgeScrollVelocity({ x: 100, y: 650 }, middle, viewport)).toEqual({ x: -EDGE_SPEED, y: EDGE_SPEED });
  });

  it('keeps the full speed beyond the edge', () => {
    expect(edgeScrollVelocity({ x: 2000, y: -300 }, middle, viewport)).toEqual({ x: EDGE_SPEED, y: -EDGE_SPEED });
  });

  it('scrolls only toward where the pointer has gone since the drag began', () => {
    // Picked up at the right edge: nothing until the pointer moves further right.
    const atEdge = { x: 890, y: 350 };
    expect(edgeScrollVelocity(atEdge, atEdge, viewport)).toEqual({ x: 0, y: 0 });
    expect(edgeScrollVelocity({ x: 880, y: 350 }, atEdge, viewport)).toEqual({ x: 0, y: 0 });
    expect(edgeScrollVelocity({ x: 895, y: 350 }, atEdge, viewport).x).toBeGreaterThan(0);
  });

  it('leaves a small viewport a middle that does not scroll', () => {
    const small = { left: 0, top: 0, width: 100, height: 100 };
    expect(edgeScrollVelocity({ x: 50, y: 50 }, { x: 40, y: 40 }, small)).toEqual({ x: 0, y: 0 });
    // The band is a quarter of 100: 25.
    expect(edgeScrollVelocity({ x: 74, y: 26 }, { x: 50, y: 50 }, small)).toEqual({ x: 0, y: 0 });
    expect(edgeScrollVelocity({ x: 76, y: 24 }, { x: 50, y: 50 }, small).x).toBeGreaterThan(0);
    expect(edgeScrollVelocity({ x: 100, y: 0 }, { x: 50, y: 50 }, small)).toEqual({ x: EDGE_SPEED, y: -EDGE_SPEED });
    expect(edgeScrollVelocity({ x: 1, y: 1 }, { x: 50, y: 50 }, { left: 0, top: 0, width: 0, height: 0 })).toEqual({ x: 0, y: 0 });
  });

  it('takes another top speed', () => {
    expect(edgeScrollVelocity({ x: 900, y: 350 }, middle, viewport, 300)).toEqual({ x: 300, y: 0 });
  });
});
