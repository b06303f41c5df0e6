/**
 * math/exact-inverse.ts. Oracles: the neighbouring doubles from their bit patterns' definition (1 + 2^-52, the
 * smallest subnormal 2^-1074, -1 + 2^-53), and the forward expression itself: the value found must map exactly
 * onto the value read, and be the short decimal a person wrote where the plain quotient misses it.
 */
import { expect, test } from 'vitest';
import { invertExactly, stepUlps } from '../../src/math/exact-inverse.js';

test('stepUlps walks the doubles in order, across zero and signs', () => {
  expect(stepUlps(1, 1)).toBe(1 + 2 ** -52);
  expect(stepUlps(1, -1)).toBe(1 - 2 ** -53);
  expect(stepUlps(-1, 1)).toBe(-1 + 2 ** -53);
  expect(stepUlps(0, 1)).toBe(2 ** -1074);
  expect(stepUlps(2 ** -1074, -2)).toBe(-(2 ** -1074));
  expect(stepUlps(-(2 ** -1074), 1)).toBe(0);
  expect(stepUlps(0.1, 3)).toBe(stepUlps(stepUlps(stepUlps(0.1, 1), 1), 1));
});

test.each([
  // I_e = i_bias (C_m / tau_m) at tau_m 20 ms: the plain quotient gives 0.2899999999999999.
  ['i_bias 0.29 mV', 0.29, (x: number) => x * (250 / 20), (y: number) => (y * 20) / 250],
  // lambda = a_plus / w_max: the plain product gives 0.026999999999999996.
  ['a_plus 0.027 mV at w_max 2.7', 0.027, (x: number) => x / 2.7, (y: number) => y * 2.7],
  ['a negative weight', -1.62, (x: number) => x * 12.5, (y: number) => y / 12.5],
])('%s comes back exactly', (_, x, forward, plain) => {
  const y = forward(x);
  const back = invertExactly(y, forward, plain(y));
  expect(forward(back)).toBe(y);
  expect(back).toBe(x);
});

test('where several doubles map onto the value (a factor below 1), the written one: the shortest decimal', () => {
  // Near 1.7, x * 0.75 maps two neighbouring doubles onto one (0.75 ulp apart, rounded to a grid of 1 ulp).
  const forward = (x: number) => x * 0.75;
  const y = forward(1.7);
  const others = [-3, -2, -1, 1, 2, 3].map((k) => stepUlps(1.7, k)).filter((x) => forward(x) === y);
  expect(others.length).toBeGreaterThan(0); // the case is real: a neighbour of 1.7 maps onto y too
  for (const start of [...others, stepUlps(1.7, 5), stepUlps(1.7, -5)]) expect(invertExactly(y, forward, start)).toBe(1.7);
});
