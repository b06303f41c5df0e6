/**
 * Root isolation for polynomials (src/math/poly-root.ts) against two independent oracles: polynomials built from
 * known roots, k (z - r_1)...(z - r_d), and a dense downward scan refined by plain bisection on random polynomials
 * of the LIF form c0 + c1 z + c2 z^2 + c4 z^4 (CUBA: tau_m / tau_i = 2, tau_m / tau_e = 4).
 */
import { describe, expect, it } from 'vitest';
import { setPoly, firstRootDown, evalPoly } from '../../src/math/poly-root.js';
import { createRng } from '../../src/kernel/rng.js';

/** Coefficients (lowest first) of k prod (z - r_i). */
function fromRoots(k: number, roots: number[]): number[] {
  let c = [k];
  for (const r of roots) {
    const next = new Array(c.length + 1).fill(0);
    for (let j = 0; j < c.length; j++) {
      next[j + 1] += c[j];
      next[j] -= r * c[j];
    }
    c = next;
  }
  return c;
}

function horner(c: number[], z: number): number {
  let s = 0;
  for (let k = c.length - 1; k >= 0; k--) s = s * z + c[k];
  return s;
}

/** Largest z in [zEnd, zStart] with p(z) >= 0, by a dense scan downward and bisection; -1 if none. */
function bruteRootDown(c: number[], zStart: number, zEnd: number, step: number): number {
  let prev = zStart;
  for (let z = zStart - step; z >= zEnd - 1e-15; z -= step) {
    const zz = Math.max(z, zEnd);
    if (horner(c, zz) >= 0) {
      let lo = zz;
      let hi = prev;
      for (let k = 0; k < 200; k++) {
        const mid = 0.5 * (lo + hi);
        if (horner(c, mid) >= 0) lo = mid;
        else hi = mid;
      }
      return lo;
    }
    prev = zz;
  }
  return -1;
}

describe('firstRootDown', () => {
  it('finds the largest known root below the start, not just any root', () => {
    const rng = createRng(3, 'poly-roots');
    for (let trial = 0; trial < 500; trial++) {
      const d = 1 + (trial % 6);
      const roots = Array.from({ length: d }, () => 0.02 + 0.96 * rng.uniform()).sort((a, b) => a - b);
      const zStart = 0.999;
      // Sign so that p(zStart) < 0: above every root p has the sign of k.
      const c = fromRoots(-1 - rng.uniform(), roots);
      setPoly(c, d);
      const z = firstRootDown(zStart, 0, 1e-14);
      const want = roots[d - 1];
      expect(Math.abs(z - want)).toBeLessThan(1e-9 * want);
      expect(evalPoly(z)).toBeGreaterThanOrEqual(0);
    }
  });

  it('agrees with a dense scan on random LIF-form polynomials, including ones with several roots', () => {
    const rng = createRng(4, 'poly-scan');
    let found = 0;
    for (let trial = 0; trial < 300; trial++) {
      const c = [0.2 + 2 * rng.uniform(), 0, 0, 0, 0];
      c[2] = 6 * (rng.uniform() - 0.5);
      c[4] = 8 * (rng.uniform() - 0.5);
      c[1] = -c[0] - c[2] - c[4] - 0.05 - rng.uniform(); // p(1) < 0: the state starts below threshold
      const zStart = 1;
      const zEnd = 0.05;
      setPoly(c, 4);
      const z = firstRootDown(zStart, zEnd, 1e-14);
      const want = bruteRootDown(c, zStart, zEnd, 1e-4);
      if (want < 0) {
        expect(z).toBe(-1);
        continue;
      }
      found++;
      expect(Math.abs(z - want)).toBeLessThan(1e-10);
      expect(horner(c, z)).toBeGreaterThanOrEqual(0);
    }
    expect(found).toBeGreaterThan(50);
  });

  it('returns the start when p is already >= 0 there, and -1 when p stays negative', () => {
    setPoly([-1.26, 2, -1], 2); // -(z - 1)^2 - 0.26
    expect(firstRootDown(0.9, 0, 1e-14)).toBe(-1);
    setPoly([1, -2], 1);
    expect(firstRootDown(0.4, 0, 1e-14)).toBe(0.4);
    // Two close roots: the first, larger one. -(z - 1/2)(z - 1/2 - 2^-12) is >= 0 only between them (the
    // coefficients are exact in binary, so the roots are exactly these).
    setPoly(fromRoots(-1, [0.5, 0.5 + 2 ** -12]), 2);
    expect(Math.abs(firstRootDown(0.9, 0, 1e-14) - (0.5 + 2 ** -12))).toBeLessThan(1e-13);
  });
});
