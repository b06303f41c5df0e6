/**
 * Expected STDP weight change for independent Poisson trains with given rates: the rate-coded counterpart of a
 * spiking STDP run, exact for additive pair-based STDP (all-to-all) while no bound is reached.
 *
 * For presynaptic rate r_pre(t) on [p0, p1] and postsynaptic rate r_post(u) on [q0, q1] (per ms), independent:
 *
 *     E[dw] = integral_{p0}^{p1} dt r_pre(t) integral_{q0}^{q1} du r_post(u) W(u - t)
 *
 * Here r_pre is constant and r_post(u) = alpha + beta u is linear, so the inner integral has a closed form
 * (`innerIntegral`) and the outer one is done by composite Gauss-Legendre quadrature (its integrand is smooth).
 * Moments of the window (W as in stdp-theory.ts, s = t_post - t_pre):
 *
 *     integral W(s) ds   = sign (a_plus tau_plus + k a_minus tau_minus)
 *     integral s W(s) ds = sign (a_plus tau_plus^2 - k a_minus tau_minus^2)
 *
 * (k = -1 antisymmetric: the second is a_plus tau_plus^2 + a_minus tau_minus^2.) To first order, for a post rate
 * with slope beta around its mean over the presynaptic interval and no pair cut off by the interval ends:
 *
 *     E[dw] = r_pre (p1 - p0) (mean r_post * integral W + beta * integral s W)
 *
 * Units: times in ms, rates per ms, beta per ms^2, weights in mV.
 */
import type { WindowSpec } from './stdp-theory.js';

export function windowMoments(r: WindowSpec): { m0: number; m1: number } {
  const k = r.window === 'antisymmetric' ? -1 : 1;
  return {
    m0: r.sign * (r.a_plus * r.tau_plus_ms + k * r.a_minus * r.tau_minus_ms),
    m1: r.sign * (r.a_plus * r.tau_plus_ms ** 2 - k * r.a_minus * r.tau_minus_ms ** 2),
  };
}

/** integral over s in [lo, hi] (0 <= lo) of e^{-s/tau} (c + beta s) ds. */
function expLinear(lo: number, hi: number, tau: number, c: number, beta: number): number {
  if (!(hi > lo)) return 0;
  const el = Math.exp(-lo / tau);
  const eh = Math.exp(-hi / tau);
  return c * tau * (el - eh) + beta * (tau * (lo * el - hi * eh) + tau * tau * (el - eh));
}

/** integral_{q0}^{q1} (alpha + beta u) W(u - t) du, in closed form. */
export function innerIntegral(r: WindowSpec, t: number, q0: number, q1: number, alpha: number, beta: number): number {
  const k = r.window === 'antisymmetric' ? -1 : 1;
  const base = alpha + beta * t; // post rate at u = t
  // Causal: u = t + s, s >= 0.
  const causal = r.a_plus * expLinear(Math.max(0, q0 - t), q1 - t, r.tau_plus_ms, base, beta);
  // Acausal: u = t - sigma, sigma > 0; the rate there is base - beta sigma.
  const acausal = k * r.a_minus * expLinear(Math.max(0, t - q1), t - q0, r.tau_minus_ms, base, -beta);
  return r.sign * (causal + acausal);
}

// 16-point Gauss-Legendre nodes and weights on [-1, 1].
const GL_X = [-0.9894009349916499, -0.9445750230732326, -0.8656312023878318, -0.755404408355003, -0.6178762444026438, -0.45801677765722737, -0.2816035507792589, -0.09501250983763744, 0.09501250983763744, 0.2816035507792589, 0.45801677765722737, 0.6178762444026438, 0.755404408355003, 0.8656312023878318, 0.9445750230732326, 0.9894009349916499];
const GL_W = [0.027152459411754096, 0.062253523938647894, 0.09515851168249279, 0.12462897125553388, 0.14959598881657674, 0.16915651939500254, 0.18260341504492358, 0.1894506104550685, 0.1894506104550685, 0.18260341504492358, 0.16915651939500254, 0.14959598881657674, 0.12462897125553388, 0.09515851168249279, 0.062253523938647894, 0.027152459411754096];

/** integral_a^b f(x) dx by composite 16-point Gauss-Legendre on `panels` equal panels. */
export function gaussLegendre(f: (x: number) => number, a: number, b: number, panels = 64): number {
  const h = (b - a) / panels;
  let sum = 0;
  for (let p = 0; p < panels; p++) {
    const mid = a + (p + 0.5) * h;
    for (let k = 0; k < 16; k++) sum += GL_W[k] * f(mid + 0.5 * h * GL_X[k]);
  }
  return 0.5 * h * sum;
}

export interface RampTrial {
  /** Presynaptic rate (per ms), constant on [p0, p1]. */
  rPre: number;
  p0: number;
  p1: number;
  /** Postsynaptic rate alpha + beta u (per ms) on [q0, q1]. */
  alpha: number;
  beta: number;
  q0: number;
  q1: number;
}

/** Exact E[dw] for a constant presynaptic rate and a linear postsynaptic rate. */
export function expectedDw(r: WindowSpec, tr: RampTrial): number {
  // Panel edges where the inner integrand has kinks (t = q0, t = q1) are avoided by splitting there.
  const cuts = [tr.p0, ...[tr.q0, tr.q1].filter((x) => x > tr.p0 && x < tr.p1), tr.p1].sort((a, b) => a - b);
  let sum = 0;
  for (let k = 0; k + 1 < cuts.length; k++) {
    sum += gaussLegendre((t) => innerIntegral(r, t, tr.q0, tr.q1, tr.alpha, tr.beta), cuts[k], cuts[k + 1]);
  }
  return tr.rPre * sum;
}

/** First-order E[dw]: r_pre (p1 - p0) (mean post rate over [p0, p1] * m0 + beta * m1). */
export function expectedDwFirstOrder(r: WindowSpec, tr: RampTrial): number {
  const { m0, m1 } = windowMoments(r);
  const mean = tr.alpha + tr.beta * 0.5 * (tr.p0 + tr.p1);
  return tr.rPre * (tr.p1 - tr.p0) * (mean * m0 + tr.beta * m1);
}
