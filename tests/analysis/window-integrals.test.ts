/**
 * Expected STDP weight change for Poisson trains: the closed-form inner integral and the quadrature against a
 * brute-force 2-D midpoint sum of r_pre W(u - t) r_post(u) (Richardson-extrapolated); window moments against direct integration; the
 * first-order formula against the exact one (design 1: equal up to pairs cut beyond the margin); design 2 halves the
 * slope effect of an antisymmetric window with a_plus = a_minus, tau_plus = tau_minus.
 */
import { describe, expect, it } from 'vitest';
import { expectedDw, expectedDwFirstOrder, innerIntegral, windowMoments, type RampTrial } from '../../src/analysis/window-integrals.js';
import { windowAt, type WindowSpec } from '../../src/analysis/stdp-theory.js';

const rules: WindowSpec[] = [
  { a_plus: 0.001, a_minus: 0.001, tau_plus_ms: 20, tau_minus_ms: 20, pairing: 'all_to_all', window: 'antisymmetric', sign: 1 },
  { a_plus: 0.005, a_minus: 0.002, tau_plus_ms: 16.8, tau_minus_ms: 33.7, pairing: 'all_to_all', window: 'antisymmetric', sign: 1 },
  { a_plus: 0.003, a_minus: 0.004, tau_plus_ms: 10, tau_minus_ms: 25, pairing: 'all_to_all', window: 'symmetric', sign: -1 },
];

function brute2d(r: WindowSpec, tr: RampTrial, n: number): number {
  const ht = (tr.p1 - tr.p0) / n, hu = (tr.q1 - tr.q0) / n;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = tr.p0 + (i + 0.5) * ht;
    for (let j = 0; j < n; j++) {
      const u = tr.q0 + (j + 0.5) * hu;
      s += windowAt(r, u - t) * (tr.alpha + tr.beta * u);
    }
  }
  return tr.rPre * s * ht * hu;
}

describe('window integrals', () => {
  it('window moments equal direct numerical integrals of W and s W', () => {
    for (const r of rules) {
      let m0 = 0, m1 = 0;
      const h = 0.001;
      for (let s = -1000 + h / 2; s < 1000; s += h) {
        m0 += windowAt(r, s) * h;
        m1 += s * windowAt(r, s) * h;
      }
      const m = windowMoments(r);
      expect(Math.abs(m.m0 - m0)).toBeLessThan(1e-8 * Math.max(1, Math.abs(m0)));
      expect(Math.abs(m.m1 - m1)).toBeLessThan(1e-6 * Math.abs(m1));
    }
  });

  it('closed-form inner integral and quadrature match a brute-force 2-D sum', () => {
    const trials: RampTrial[] = [
      { rPre: 0.02, p0: 300, p1: 500, q0: 100, q1: 700, alpha: 0.01, beta: 3e-5 },
      { rPre: 0.02, p0: 0, p1: 200, q0: 0, q1: 200, alpha: 0.03, beta: -4e-5 },
      { rPre: 0.01, p0: 50, p1: 150, q0: 80, q1: 400, alpha: 0.02, beta: 1e-5 },
    ];
    for (const r of rules) {
      for (const tr of trials) {
        const exact = expectedDw(r, tr);
        // W jumps at s = 0, so the midpoint sum converges only at first order: Richardson-extrapolate it.
        const brute = 2 * brute2d(r, tr, 1200) - brute2d(r, tr, 600);
        expect(Math.abs(exact - brute)).toBeLessThan(2e-4 * Math.abs(exact) + 1e-12);
      }
    }
    // The inner integral alone against a fine midpoint sum.
    const r = rules[1];
    let s = 0;
    const h = 1e-3;
    for (let u = 100 + h / 2; u < 700; u += h) s += windowAt(r, u - 333.3) * (0.01 + 3e-5 * u) * h;
    expect(Math.abs(innerIntegral(r, 333.3, 100, 700, 0.01, 3e-5) - s)).toBeLessThan(1e-9);
  });

  it('design 1 equals the first-order formula r_pre T (mean r_post int W + slope int sW) up to the cut-off pairs', () => {
    for (const r of rules) {
      const tr: RampTrial = { rPre: 0.02, p0: 400, p1: 1400, q0: 0, q1: 1800, alpha: 0.005, beta: 2e-5 };
      const exact = expectedDw(r, tr);
      const first = expectedDwFirstOrder(r, tr);
      const tau = Math.max(r.tau_plus_ms, r.tau_minus_ms);
      expect(Math.abs(exact - first)).toBeLessThan(Math.exp(-400 / tau) * 10 * Math.abs(first) + 1e-15);
    }
  });

  it('design 2 (both trains in [0, T]) shows half the slope effect of design 1 for a+ = a-, tau+ = tau-', () => {
    const r = rules[0];
    const T = 2000;
    const d2 = (beta: number) => expectedDw(r, { rPre: 0.02, p0: 0, p1: T, q0: 0, q1: T, alpha: 0.03 - beta * T / 2, beta });
    const d1 = (beta: number) => expectedDwFirstOrder(r, { rPre: 0.02, p0: 0, p1: T, q0: -1000, q1: T + 1000, alpha: 0.03 - beta * T / 2, beta });
    const slope2 = (d2(2e-5) - d2(-2e-5)) / 4e-5;
    const slope1 = (d1(2e-5) - d1(-2e-5)) / 4e-5;
    // Exactly: half of integral s W(s) (T - |s|) ds, i.e. slope1 / 2 minus a correction of order tau / T.
    expect(slope2 / slope1).toBeGreaterThan(0.5 * (1 - 3 * 20 / T));
    expect(slope2 / slope1).toBeLessThan(0.5);
  });
});
