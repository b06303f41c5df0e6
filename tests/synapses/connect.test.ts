/**
 * The receptive_field rule: each post neuron's partners lie in one square patch of the presynaptic grid, of a side in
 * the asked range, at least `margin` cells from every edge; without `n` the patch is taken whole. Checked against the
 * geometry directly (bounding boxes of each post's partners), and the patch sides and corners against the uniform
 * distributions the rule draws from.
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/synapses/connect.js';
import { createRng } from '../../src/kernel/rng.js';

const W = 28;
const H = 20;

function partners(e: { pre: Int32Array; post: Int32Array; count: number }, nPost: number): number[][] {
  const by: number[][] = Array.from({ length: nPost }, () => []);
  for (let k = 0; k < e.count; k++) by[e.post[k]].push(e.pre[k]);
  return by;
}

function box(cells: number[]) {
  const xs = cells.map((c) => c % W);
  const ys = cells.map((c) => Math.floor(c / W));
  return { x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
}

describe('receptive_field connectivity', () => {
  it('takes whole square patches of a side in [lo, hi], inside the margin, sides and corners uniform', () => {
    const nPost = 4000;
    const e = connect({ rule: 'receptive_field', width: W, height: H, patch: [3, 6], margin: 2 }, W * H, nPost, false, createRng(3, 'rf'));
    const sides = new Map<number, number>();
    const corners = new Set<string>();
    for (const cells of partners(e, nPost)) {
      const b = box(cells);
      const s = b.x1 - b.x0 + 1;
      expect(b.y1 - b.y0 + 1).toBe(s);
      expect(s).toBeGreaterThanOrEqual(3);
      expect(s).toBeLessThanOrEqual(6);
      expect(new Set(cells).size).toBe(s * s); // whole patch, no repeats
      expect(Math.min(b.x0, b.y0)).toBeGreaterThanOrEqual(2);
      expect(b.x1).toBeLessThanOrEqual(W - 3);
      expect(b.y1).toBeLessThanOrEqual(H - 3);
      sides.set(s, (sides.get(s) ?? 0) + 1);
      if (s === 3) corners.add(`${b.x0},${b.y0}`);
    }
    // Each of the 4 sides has probability 1/4: 1000 expected, sd sqrt(4000 * 1/4 * 3/4) = 27; 5 sd.
    for (let s = 3; s <= 6; s++) expect(Math.abs(sides.get(s)! - 1000)).toBeLessThan(140);
    // Side 3 corners are uniform over (28 - 4 - 3 + 1) x (20 - 4 - 3 + 1) = 22 x 14 = 308 places; with ~1000 draws
    // each is missed with probability (1 - 1/308)^1000 = 0.04, so nearly all appear, edges included.
    expect(corners.size).toBeGreaterThan(270);
    expect(corners.has('2,2') || corners.has('23,15')).toBe(true);
  });

  it('picks n distinct cells of the patch', () => {
    const nPost = 500;
    const e = connect({ rule: 'receptive_field', width: W, height: H, patch: [5, 8], n: 20 }, W * H, nPost, false, createRng(4, 'rf'));
    expect(e.count).toBe(nPost * 20);
    const seen = new Uint32Array(64);
    for (const cells of partners(e, nPost)) {
      expect(new Set(cells).size).toBe(20);
      const b = box(cells);
      expect(Math.max(b.x1 - b.x0, b.y1 - b.y0) + 1).toBeLessThanOrEqual(8);
      // Position within the bounding box's square: over many patches every offset of an 8x8 patch is used.
      for (const c of cells) seen[((Math.floor(c / W) - b.y0) % 8) * 8 + ((c % W) - b.x0)]++;
    }
    expect(seen.every((c) => c > 0)).toBe(true);
  });
});
