/**
 * Undoing a unit conversion exactly. A SONATA export writes NEST's values, each one floating-point expression of
 * chronoprop's (I_e = i_bias_mv * (C_m / tau_m), lambda = a_plus / w_max_mv, ...). Dividing back is off by an ulp
 * often enough to change a spike; so the inverse searches the doubles within MAX_ULPS of the plain quotient for
 * those the forward expression maps onto the value read, and keeps the one with the shortest decimal form (the
 * value a person wrote, 0.01 rather than 0.010000000000000002), the nearest on a tie. When the forward expression
 * maps several doubles onto one (a factor below 1), that rule picks the written one whenever it was the shortest;
 * when none maps exactly (a value not written by the exporter), the plain quotient is returned.
 */

/** Doubles searched on each side of the plain quotient: its rounding error is at most a few ulps. */
export const MAX_ULPS = 8;

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** The double k steps (ulps) from x along the real line; x finite. */
export function stepUlps(x: number, k: number): number {
  if (k === 0) return x;
  // Order-preserving map of doubles onto integers: negative doubles reflected below zero.
  f64[0] = x;
  let n = i64[0];
  if (n < 0n) n = -(n & 0x7fffffffffffffffn);
  n += BigInt(k);
  i64[0] = n < 0n ? -n | -0x8000000000000000n : n;
  return f64[0];
}

export function invertExactly(y: number, forward: (x: number) => number, guess: number): number {
  if (!Number.isFinite(guess)) return guess;
  let best = NaN;
  let bestLen = Infinity;
  for (let d = 0; d <= MAX_ULPS; d++) {
    for (const k of d === 0 ? [0] : [-d, d]) {
      const x = stepUlps(guess, k);
      if (forward(x) !== y) continue;
      const len = String(x).length;
      if (len < bestLen) {
        best = x;
        bestLen = len;
      }
    }
  }
  return Number.isNaN(best) ? guess : best;
}
