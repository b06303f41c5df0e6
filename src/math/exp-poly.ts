/**
 * Exact root isolation for exponential polynomials with polynomial coefficients
 *
 *     f(t) = sum_k p_k(t) exp(-m_k t),    p_k(t) = sum_j c_kj t^j,    t in [lo, hi],
 *
 * the form every trajectory of a linear system x' = A x + c with real eigenvalues takes (a t^j term for each
 * repeated eigenvalue whose eigenvectors do not span its space; the constant is the term with m = 0). Rates must
 * be distinct (the caller merges equal ones). This generalizes exp-sum.ts (at most one degree-1 term, four terms),
 * which the `lif` model keeps as its tuned path.
 *
 * Method (Rolle elimination): pick the term k of smallest rate; g(t) = exp(m_k t) f(t) has the sign and the roots
 * of f, and f1 = g' is again such a sum, with p_k replaced by p_k' (one degree lower, dropped at degree 0) and the
 * other rates shifted down by m_k (so none is negative). f has at most one root between consecutive roots of f1.
 * Recursing until one constant term is left (no root) gives a chain of at most sum_k (deg p_k + 1) levels. The roots
 * of each level split [lo, hi] into pieces on which the level above is monotone, so each piece holds at most one
 * root, found by safeguarded Newton on a sign-changing bracket (rolle.ts). Nothing is sampled on a grid, so no crossing is
 * missed (up to rounding in the evaluation of f itself, which the caller keeps well conditioned).
 *
 * All scratch storage is preallocated: calls allocate nothing.
 */

import { firstNonNegative, rootsBetween, type Levels } from './rolle.js';

/** Most terms, and most coefficients per term (degree + 1). The linear model's state dimension + 1 is the bound. */
export const EXP_POLY_MAX_TERMS = 16;
const D = EXP_POLY_MAX_TERMS;
const LEVELS = D + 1;

// Per level: term count, rates, degrees, coefficients (term k's c_kj at C[L][k * D + j]).
const N = new Int32Array(LEVELS);
const M = Array.from({ length: LEVELS }, () => new Float64Array(D));
const G = Array.from({ length: LEVELS }, () => new Int32Array(D));
const C = Array.from({ length: LEVELS }, () => new Float64Array(D * D));
// Roots of each level, in increasing order.
const R = Array.from({ length: LEVELS }, () => new Float64Array(D * D));
const NR = new Int32Array(LEVELS);
const MIN = new Float64Array(LEVELS);
/** Precision (ms) of the critical points that split the search into monotone pieces. */
const CRITICAL_TOL = 1e-9;

/**
 * Loads level 0 from n terms: rate m[k], degree deg[k], coefficients c[k * EXP_POLY_MAX_TERMS + j] (j <= deg[k]).
 * Trailing zero coefficients are trimmed and all-zero terms dropped.
 */
export function setExpPoly(m: ArrayLike<number>, deg: ArrayLike<number>, c: ArrayLike<number>, n: number): void {
  let k = 0;
  const cc = C[0];
  for (let i = 0; i < n; i++) {
    let g = deg[i];
    while (g >= 0 && c[i * D + g] === 0) g--;
    if (g < 0) continue;
    M[0][k] = m[i];
    G[0][k] = g;
    for (let j = 0; j <= g; j++) cc[k * D + j] = c[i * D + j];
    k++;
  }
  N[0] = k;
  MIN[0] = minRate(0);
}

/**
 * Levels are evaluated scaled by exp(m_min t), m_min the level's smallest rate: the same sign and roots, and the
 * dominant term never underflows (at t = 750 / m, exp(-m t) is 0 in double precision, and a level whose terms all
 * underflowed would report a false root).
 */
function minRate(L: number): number {
  const m = M[L];
  let lo = Infinity;
  for (let k = 0, n = N[L]; k < n; k++) if (m[k] < lo) lo = m[k];
  return lo;
}

function evalLevel(L: number, t: number): number {
  const m = M[L], g = G[L], c = C[L];
  const m0 = MIN[L];
  let s = 0;
  for (let k = 0, n = N[L]; k < n; k++) {
    let p = c[k * D + g[k]];
    for (let j = g[k] - 1; j >= 0; j--) p = p * t + c[k * D + j];
    const r = m[k] - m0;
    s += r === 0 ? p : p * Math.exp(-r * t);
  }
  return s;
}

/** The derivative of the scaled level: sum_k (p_k'(t) - r_k p_k(t)) exp(-r_k t), r_k = m_k - m_min. */
function derivLevel(L: number, t: number): number {
  const m = M[L], g = G[L], c = C[L];
  const m0 = MIN[L];
  let s = 0;
  for (let k = 0, n = N[L]; k < n; k++) {
    let p = c[k * D + g[k]];
    let dp = 0;
    for (let j = g[k] - 1; j >= 0; j--) {
      dp = dp * t + p;
      p = p * t + c[k * D + j];
    }
    const r = m[k] - m0;
    const v = dp - r * p;
    s += r === 0 ? v : v * Math.exp(-r * t);
  }
  return s;
}

/** Level L+1 = d/dt [exp(m_k t) f_L(t)] for the term k of smallest rate. */
function deriveLevel(L: number): void {
  const m = M[L], g = G[L], c = C[L], n = N[L];
  let k = 0;
  for (let i = 1; i < n; i++) if (m[i] < m[k]) k = i;
  const m1 = M[L + 1], g1 = G[L + 1], c1 = C[L + 1];
  let q = 0;
  for (let i = 0; i < n; i++) {
    const nu = m[i] - m[k];
    const gi = g[i];
    if (i === k) {
      if (gi === 0) continue;
      for (let j = 0; j < gi; j++) c1[q * D + j] = (j + 1) * c[i * D + j + 1];
      g1[q] = gi - 1;
    } else {
      // (p' - nu p): same degree, leading coefficient -nu c_g (nu > 0 for distinct rates).
      for (let j = 0; j <= gi; j++) c1[q * D + j] = (j < gi ? (j + 1) * c[i * D + j + 1] : 0) - nu * c[i * D + j];
      g1[q] = gi;
    }
    m1[q] = i === k ? 0 : nu;
    q++;
  }
  N[L + 1] = q;
  MIN[L + 1] = minRate(L + 1);
}

function midpoint(l: number, r: number): number {
  return 0.5 * (l + r);
}

/** The levels as the shared steps (rolle.ts) see them. */
const levelView: Levels = { value: evalLevel, slope: derivLevel, split: midpoint, maxSteps: 300 };

/** All roots (sign changes and touches) of level L in (lo, hi], sorted, into R[L]. */
function rootsOf(L: number, lo: number, hi: number, tol: number): void {
  NR[L] = 0;
  const n = N[L];
  if (n === 0 || (n === 1 && G[L][0] === 0)) return;
  deriveLevel(L);
  rootsOf(L + 1, lo, hi, tol);
  NR[L] = rootsBetween(levelView, L, lo, hi, tol, R[L + 1], NR[L + 1], R[L]);
}

/** Critical points of level 0 (where exp(m_k t) f is stationary), into R[1]; their count. */
function criticalPoints(lo: number, hi: number): number {
  const n = N[0];
  if (n === 0 || (n === 1 && G[0][0] === 0)) return (NR[1] = 0);
  deriveLevel(0);
  rootsOf(1, lo, hi, CRITICAL_TOL);
  return NR[1];
}

/**
 * First time t in [lo, hi] at which the loaded f is >= 0 (lo itself if f(lo) >= 0); Infinity if none. The answer
 * lies within `tol` after the true crossing, never before it.
 */
export function firstExpPolyCrossing(lo: number, hi: number, tol: number): number {
  const fl = evalLevel(0, lo);
  if (fl >= 0) return lo;
  return firstNonNegative(levelView, lo, hi, fl, tol, R[1], criticalPoints(lo, hi));
}

/**
 * The least and greatest values of the loaded f over [lo, hi]'s endpoints and critical points, into out[0] and
 * out[1]: f >= 0 on all of [lo, hi] if and only if out[0] >= 0, and f <= 0 if and only if out[1] <= 0
 * (exp(m_k t) f, which has f's sign, takes its extremes at those points).
 */
export function expPolySignRange(lo: number, hi: number, out: Float64Array): void {
  const a = evalLevel(0, lo);
  const b = evalLevel(0, hi);
  let min = Math.min(a, b);
  let max = Math.max(a, b);
  const nc = criticalPoints(lo, hi);
  for (let p = 0; p < nc; p++) {
    const v = evalLevel(0, R[1][p]);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  out[0] = min;
  out[1] = max;
}

/**
 * The roots of the loaded f in (lo, hi] (sign changes and touches), each to within `tol`, in increasing order, into
 * out; their count.
 */
export function expPolyRoots(lo: number, hi: number, tol: number, out: Float64Array): number {
  rootsOf(0, lo, hi, tol);
  for (let k = 0; k < NR[0]; k++) out[k] = R[0][k];
  return NR[0];
}

/** Value of the loaded f at t (unscaled). */
export function evalExpPoly(t: number): number {
  if (N[0] === 0) return 0;
  const s = evalLevel(0, t);
  return MIN[0] === 0 ? s : s * Math.exp(-MIN[0] * t);
}
