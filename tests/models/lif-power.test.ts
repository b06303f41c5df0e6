/**
 * models/lif/power.ts: the written-out small exponents give the bits of plain repeated squaring (the loop relax() and
 * inputMany used before), for every q the model takes as an integer power (1 to MAX_POWER).
 */
import { describe, expect, it } from 'vitest';
import { intPower } from '../../models/lif/power.js';
import { MAX_POWER } from '../../models/lif/layout.js';
import { createRng } from '../../src/kernel/rng.js';

/** x^q by repeated squaring, the products in the order the loop forms them. */
function squaring(x: number, q: number): number {
  let p = 1;
  for (let n = q; n > 0; n >>= 1, x *= x) if (n & 1) p *= x;
  return p;
}

describe('intPower', () => {
  it('equals repeated squaring bit for bit for q = 1..MAX_POWER', () => {
    const rng = createRng(1, 'lif-power');
    const xs = [0, 1, 5e-324, 1 - 2 ** -53, Math.exp(-1e-9), ...Array.from({ length: 2000 }, () => rng.uniform())];
    for (let q = 1; q <= MAX_POWER; q++) {
      for (const x of xs) expect(Object.is(intPower(x, q), squaring(x, q)), `${x}^${q}`).toBe(true);
    }
  });

  it('is em^q up to rounding (em = e^{-h/tau_m}, em^q = e^{-q h/tau_m})', () => {
    for (let q = 1; q <= MAX_POWER; q++) expect(intPower(Math.exp(-0.1), q)).toBeCloseTo(Math.exp(-0.1 * q), 14);
  });
});
