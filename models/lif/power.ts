/**
 * x^q for an integer 1 <= q <= MAX_POWER (layout.ts), by repeated squaring: x, x^2, x^4, ... are multiplied in for
 * each set bit of q, lowest first. relax() and inputMany both take e^{-h/tau_s} = em^q from here, so the two agree
 * bit for bit for every q.
 *
 * The exponents up to SMALL_POWER are written out, without the loop's branches: the same products in the same order
 * as the loop forms them (x (x x) for 3, (x x)(x x) for 4; multiplying by the loop's initial 1 is exact), so the same
 * bits. Small enough for V8 to inline into the hot path, where a call that is not inlined would box the double it
 * returns.
 */

/** Exponents written out: ratios tau_m / tau_s of 1 to 4 are the common ones (e.g. 20 ms over 5 or 10 ms). */
const SMALL_POWER = 4;

export function intPower(x: number, q: number): number {
  if (q <= SMALL_POWER) {
    if (q === 4) {
      const x2 = x * x;
      return x2 * x2;
    }
    if (q === 2) return x * x;
    return q === 3 ? x * (x * x) : x;
  }
  let p = 1;
  for (let n = q; n > 0; n >>= 1, x *= x) if (n & 1) p *= x;
  return p;
}
