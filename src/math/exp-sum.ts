/**
 * Exact root isolation for exponential polynomials
 *
 *     f(t) = sum_i (a_i + b_i t) exp(-m_i t),     t in [lo, hi],
 *
 * the form every closed-form LIF trajectory takes (a constant is the term with m = 0; a `b_i t` term appears only
 * when a synaptic time constant equals the membrane's). At most one term may have b != 0: terms of equal rate are
 * merged by the caller.
 *
 * Method (Rolle elimination, as in the generalized Descartes rule of signs): pick a term k with b_k = 0 and the
 * smallest rate; g(t) = exp(m_k t) f(t) has the sign and the roots of f, and g'(t) is an exponential polynomial
 * with one term fewer. Its roots, found recursively, cut [lo, hi] into pieces on which g is monotone, so each piece
 * holds at most one root of f, found by safeguarded Newton on a sign-changing bracket (rolle.ts). A one-term polynomial
 * `(a + b t) exp(-m t)` has its only root at -a/b. Nothing is sampled on a grid, so no crossing can be missed.
 *
 * Every level is stored scaled by exp(mu t), mu its smallest rate, so that its slowest term has rate 0 and never
 * underflows: the scaling changes neither signs nor roots, so the pieces stay where they are. Unscaled, a level
 * whose terms all decay evaluates to exactly 0 once every exp(-m t) underflows (t > ~745 / min m), and that 0 at the
 * search's far end was taken for a root there: the level's real sign change inside (lo, hi] was lost, and with it
 * the critical points of the levels above and the crossing itself. `lif` searches up to its horizon, 700 tau_max,
 * where the level of its two synaptic terms (rates 1/tau_s - 1/tau_m) underflows when tau_m / tau_s > ~2.06 for
 * both; with ratios that are not integers (no polynomial form) it then missed any crossing followed by a dip of v
 * (a strong, slow inhibitory current; v_inf near threshold makes this common), and fired only when a later input
 * put v over threshold: late by up to 0.27 ms on tests/models/linear-lif.test.ts, by ms or not at all elsewhere.
 *
 * All scratch storage is preallocated: calls allocate nothing.
 */

import { firstNonNegative, rootsBetween, type Levels } from './rolle.js';

const MAX_TERMS = 4;
const LEVELS = MAX_TERMS + 1;

// Coefficients per elimination level.
const A = Array.from({ length: LEVELS }, () => new Float64Array(MAX_TERMS));
const B = Array.from({ length: LEVELS }, () => new Float64Array(MAX_TERMS));
const M = Array.from({ length: LEVELS }, () => new Float64Array(MAX_TERMS));
const N = new Int32Array(LEVELS);
// Roots of each level, in increasing order.
const R = Array.from({ length: LEVELS }, () => new Float64Array(MAX_TERMS));
const NR = new Int32Array(LEVELS);
/** The scale of level 0: the loaded f is exp(-MU0 t) times level 0. */
let MU0 = 0;
/** Precision (ms) of the critical points that split the search into monotone pieces. */
const CRITICAL_TOL = 1e-9;

/** Loads level 0: f(t) = sum (a_i + b_i t) exp(-m_i t). Terms with a = b = 0 are dropped. */
export function setExpSum(a: ArrayLike<number>, b: ArrayLike<number>, m: ArrayLike<number>, n: number): void {
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] === 0 && b[i] === 0) continue;
    A[0][k] = a[i];
    B[0][k] = b[i];
    M[0][k] = m[i];
    k++;
  }
  N[0] = k;
  MU0 = normalize(0);
}

/**
 * Scales level L by exp(mu t), mu its smallest rate (see the header): the same signs and roots, no underflow.
 * Returns mu.
 */
function normalize(L: number): number {
  const m = M[L], n = N[L];
  let mu = Infinity;
  for (let i = 0; i < n; i++) if (m[i] < mu) mu = m[i];
  if (!(n > 0) || mu === 0) return 0;
  for (let i = 0; i < n; i++) m[i] = m[i] === mu ? 0 : m[i] - mu;
  return mu;
}

function evalLevel(L: number, t: number): number {
  const a = A[L], b = B[L], m = M[L];
  let s = 0;
  for (let i = 0, n = N[L]; i < n; i++) s += (a[i] + b[i] * t) * Math.exp(-m[i] * t);
  return s;
}

function derivLevel(L: number, t: number): number {
  const a = A[L], b = B[L], m = M[L];
  let s = 0;
  for (let i = 0, n = N[L]; i < n; i++) s += (b[i] - m[i] * (a[i] + b[i] * t)) * Math.exp(-m[i] * t);
  return s;
}

/** Level L+1 = d/dt [exp(m_k t) f_L(t)], eliminating the b = 0 term of smallest rate. Returns false if none. */
function deriveLevel(L: number): boolean {
  const a = A[L], b = B[L], m = M[L], n = N[L];
  let k = -1;
  for (let i = 0; i < n; i++) if (b[i] === 0 && (k < 0 || m[i] < m[k])) k = i;
  if (k < 0) return false;
  const a1 = A[L + 1], b1 = B[L + 1], m1 = M[L + 1];
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (i === k) continue;
    const nu = m[i] - m[k];
    a1[j] = b[i] - nu * a[i];
    b1[j] = -nu * b[i];
    m1[j] = nu;
    j++;
  }
  N[L + 1] = j;
  normalize(L + 1);
  return true;
}

/**
 * The point that splits the bracket [l, r] for bisection: its midpoint, or its geometric mean (from tol up) while the
 * bracket is wider than 2^150 tol, which 200 halvings could not bring down to tol. The search reaches 700 tau_max,
 * 7e302 ms for a time constant of 1e300 ms; halved 200 times that bracket stayed wider than 1e140 ms, and the
 * crossing came out at 6e178 ms instead of 0.3 ms. The geometric mean brings any bracket within float64 below
 * 2^150 tol in under 12 steps. Brackets narrower than that (every search of time constants below about 1e29 ms) are
 * halved as before, step for step.
 */
function split(l: number, r: number, tol: number): number {
  if (!(r - l > 2 ** 150 * tol)) return 0.5 * (l + r);
  return Math.sqrt(l > tol ? l : tol) * Math.sqrt(r);
}

/** The levels as the shared steps (rolle.ts) see them. */
const levelView: Levels = { value: evalLevel, slope: derivLevel, split, maxSteps: 200 };

/** Finds all roots (sign changes and touches) of level L in the open interval (lo, hi], sorted, into R[L]. */
function rootsOf(L: number, lo: number, hi: number, tol: number): void {
  NR[L] = 0;
  const n = N[L];
  if (n === 0) return;
  if (n === 1) {
    const b = B[L][0];
    if (b !== 0) {
      const t = -A[L][0] / b;
      if (t > lo && t <= hi) R[L][NR[L]++] = t;
    }
    return;
  }
  if (!deriveLevel(L)) return; // cannot happen with at most one b != 0 term and n >= 2
  rootsOf(L + 1, lo, hi, tol);
  NR[L] = rootsBetween(levelView, L, lo, hi, tol, R[L + 1], NR[L + 1], R[L]);
}

/**
 * First time t in (lo, hi] at which f (loaded with setExpSum) reaches >= 0, given f(lo) < 0; Infinity if none.
 * The answer lies within `tol` after the true crossing, never before it.
 */
export function firstCrossing(lo: number, hi: number, tol: number): number {
  const n = N[0];
  if (n === 0) return Infinity;
  const fl = evalLevel(0, lo);
  if (fl >= 0) return lo;
  // Critical points of exp(m_k t) f split (lo, hi] into pieces where the sign of f changes at most once.
  // Critical points only delimit monotone pieces: they need far less precision than the crossing itself.
  if (n >= 2 && deriveLevel(0)) rootsOf(1, lo, hi, CRITICAL_TOL);
  else NR[1] = 0;
  return firstNonNegative(levelView, lo, hi, fl, tol, R[1], NR[1]);
}

/** Value of the loaded f at t (for tests and callers that check a bracket). */
export function evalExpSum(t: number): number {
  return MU0 === 0 ? evalLevel(0, t) : evalLevel(0, t) * Math.exp(-MU0 * t);
}
