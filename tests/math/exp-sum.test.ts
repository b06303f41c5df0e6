/**
 * Root isolation for exponential polynomials, against an independent brute force: a dense scan of f for the first
 * sign change, refined by plain bisection. Random polynomials of the LIF form, including ones with several roots.
 */
import { describe, expect, it } from 'vitest';
import { setExpSum, firstCrossing } from '../../src/math/exp-sum.js';
import { createRng } from '../../src/kernel/rng.js';

function f(a: number[], b: number[], m: number[], t: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] + b[i] * t) * Math.exp(-m[i] * t);
  return s;
}

function bruteFirstCrossing(a: number[], b: number[], m: number[], hi: number, step: number): number {
  let prev = 0;
  for (let t = step; t <= hi + 1e-12; t += step) {
    if (f(a, b, m, t) >= 0) {
      let lo = prev;
      let up = t;
      for (let k = 0; k < 200; k++) {
        const mid = 0.5 * (lo + up);
        if (f(a, b, m, mid) >= 0) up = mid;
        else lo = mid;
      }
      return up;
    }
    prev = t;
  }
  return Infinity;
}

describe('firstCrossing', () => {
  it('finds the earlier of two roots, not just any root in the bracket', () => {
    // With z = e^{-t/5}: f = -1.1 + 4z - 3z^2, negative at t = 0 (z = 1), positive between its two roots
    // z = (4 +- sqrt(16 - 13.2)) / 6, negative again after: the first crossing is the larger z.
    const a = [-1.1, 4, -3];
    const m = [0, 1 / 5, 2 / 5];
    setExpSum(a, [0, 0, 0], m, 3);
    const zHi = (4 + Math.sqrt(16 - 13.2)) / 6;
    const expected = -5 * Math.log(zHi); // larger z = earlier time
    expect(Math.abs(firstCrossing(0, 1000, 1e-13) - expected)).toBeLessThan(1e-9);
  });

  it('reports no crossing when the maximum stays below zero (near miss)', () => {
    // -1 + 4z - 4.0001 z^2 peaks at z = 4 / 8.0002 with value -1 + 4 / 4.0001 < 0: it never reaches zero.
    setExpSum([-1, 4, -4.0001], [0, 0, 0], [0, 0.2, 0.4], 3);
    expect(firstCrossing(0, 1000, 1e-13)).toBe(Infinity);
  });

  it('finds a crossing when the search ends where every exponential underflows (lif horizon)', () => {
    // lif's trajectory at 12.0457 ms in tests/models/linear-lif.test.ts (tau_m 17.3, tau_syn 3.1 and 7.7, bias 12):
    // a second elimination level of rates 1/3.1 - 1/17.3 and 1/7.7 - 1/17.3 read exactly 0 at hi = 12111 ms (700
    // tau_m + 1) and that 0 was taken for a root, so the crossing at 0.5546 ms was missed.
    const a = [-8, -9.181254700312017, 17.96463759090095, -1.0728347988830862];
    const m = [0, 1 / 3.1, 1 / 7.7, 1 / 17.3];
    setExpSum(a, [0, 0, 0, 0], m, 4);
    const near = firstCrossing(0.119, 100, 1e-13);
    expect(Math.abs(near - 0.5546424736423)).toBeLessThan(1e-9);
    expect(Math.abs(firstCrossing(0.119, 12111, 1e-13) - near)).toBeLessThan(1e-12);
    expect(Math.abs(firstCrossing(0.119, 1e6, 1e-13) - near)).toBeLessThan(1e-12);
  });

  it('matches a brute-force scan on random LIF-shaped polynomials', () => {
    const rng = createRng(7, 'exp-sum');
    let withRoot = 0;
    for (let trial = 0; trial < 300; trial++) {
      const degenerate = trial % 5 === 0;
      const a = [rng.uniform() * 4 - 3, rng.uniform() * 20 - 10, rng.uniform() * 20 - 10, rng.uniform() * 20 - 10];
      const b = [0, degenerate ? rng.uniform() * 4 - 2 : 0, 0, 0];
      const m = [0, 1 / 20, 1 / 5, 1 / 10];
      // f(0) must be negative: shift the constant.
      const f0 = f(a, b, m, 0);
      if (f0 >= 0) a[0] -= f0 + 0.1;
      setExpSum(a, b, m, 4);
      const got = firstCrossing(0, 200, 1e-13);
      const want = bruteFirstCrossing(a, b, m, 200, 0.01);
      if (want < Infinity) withRoot++;
      if (want === Infinity) expect(got).toBe(Infinity);
      else expect(Math.abs(got - want)).toBeLessThan(1e-9);
    }
    expect(withRoot).toBeGreaterThan(50);
  });
});
