/**
 * The bracketing and polishing that the two exponential-polynomial root finders share (exp-sum.ts, exp-poly.ts): both
 * eliminate one term per level (Rolle), so that the roots of level L + 1 cut an interval into pieces on which level L
 * is monotone, and each piece holds at most one root of level L, found by safeguarded Newton on a sign-changing
 * bracket. What differs between the two, how a level is stored and evaluated, comes in through `Levels`.
 *
 * Scratch-free: roots go to the caller's arrays.
 */

/** A finder's levels, as the shared steps see them. */
export interface Levels {
  /** Level L at t (scaled as the finder keeps it: the same sign and roots). */
  value(L: number, t: number): number;
  /** The derivative of value(L, .) at t. */
  slope(L: number, t: number): number;
  /** The point at which refine bisects the bracket [l, r]. */
  split(l: number, r: number, tol: number): number;
  /** The most Newton or bisection steps of one refine. */
  readonly maxSteps: number;
}

/**
 * Root of level L in [l, r], given fl = f(l) and fr = f(r) of opposite signs (or fr === 0) and f monotone there.
 * Returns the end of the final bracket on f's "fr side": the root to within `tol`, never before it.
 */
export function refine(f: Levels, L: number, l: number, r: number, fl: number, fr: number, tol: number): number {
  const rising = fl < 0;
  // Start from the secant through the bracket's ends (regula falsi), not its midpoint.
  let t = l - (fl * (r - l)) / (fr - fl);
  if (!(t > l && t < r)) t = f.split(l, r, tol);
  let stepOld = r - l;
  for (let iter = 0; iter < f.maxSteps && r - l > tol; iter++) {
    const ft = f.value(L, t);
    if (ft === 0) return t;
    if (ft < 0 === rising) l = t;
    else r = t;
    if (r - l <= tol) break;
    // Safeguarded Newton: bisect when the step leaves the bracket or does not halve the last step.
    const d = f.slope(L, t);
    const step = d !== 0 ? ft / d : Infinity;
    const next = t - step;
    if (!(next > l && next < r) || Math.abs(2 * step) > stepOld) {
      stepOld = r - l;
      t = f.split(l, r, tol);
    } else if (Math.abs(step) < tol) {
      // Converged: the root is within tol of t; one probe on its far side closes the bracket.
      t = ft < 0 === rising ? Math.min(t + tol, r) : Math.max(t - tol, l);
      if (t === l || t === r) t = f.split(l, r, tol);
    } else {
      stepOld = Math.abs(step);
      t = next;
    }
  }
  return r;
}

/**
 * The roots (sign changes and touches) of level L in (lo, hi], increasing, into out from index 0, given the
 * increasing roots crit[0 .. nCrit) of level L + 1 in (lo, hi] (between which level L is monotone). Returns their
 * count.
 */
export function rootsBetween(f: Levels, L: number, lo: number, hi: number, tol: number, crit: Float64Array, nCrit: number, out: Float64Array): number {
  let n = 0;
  let l = lo;
  let fl = f.value(L, l);
  for (let p = 0; p <= nCrit; p++) {
    const r = p < nCrit ? crit[p] : hi;
    if (!(r > l)) continue;
    const fr = f.value(L, r);
    if (fr === 0 || (fl < 0 && fr > 0) || (fl > 0 && fr < 0)) out[n++] = fr === 0 ? r : refine(f, L, l, r, fl, fr, tol);
    l = r;
    fl = fr;
  }
  return n;
}

/**
 * The first t in (lo, hi] at which level 0 is >= 0, given fl = its value at lo (< 0) and the increasing critical
 * points crit[0 .. nCrit) that split (lo, hi] into pieces where its sign changes at most once; Infinity if none. The
 * answer lies within `tol` after the true crossing, never before it.
 */
export function firstNonNegative(f: Levels, lo: number, hi: number, fl: number, tol: number, crit: Float64Array, nCrit: number): number {
  let l = lo;
  for (let p = 0; p <= nCrit; p++) {
    const r = p < nCrit ? crit[p] : hi;
    if (!(r > l)) continue;
    const fr = f.value(0, r);
    if (fr >= 0) return fr === 0 ? r : refine(f, 0, l, r, fl, fr, tol);
    l = r;
    fl = fr;
  }
  return Infinity;
}
