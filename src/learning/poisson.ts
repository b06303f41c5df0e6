/**
 * Poisson random counts for small means (Knuth's multiplication method): multiply uniforms until the product
 * falls below e^{-lambda}; the number of factors minus one is Poisson(lambda). Expected cost lambda + 1 uniforms,
 * so it suits the means of spike counts in a short window (a few spikes). Exact for any lambda >= 0, but slow and
 * prone to underflow past about 700; callers here use lambda <= 100 (checked).
 */
import type { Rng } from '../kernel/rng.js';

export const POISSON_MAX_MEAN = 100;

export function poisson(lambda: number, rng: Rng): number {
  if (!(lambda >= 0 && lambda <= POISSON_MAX_MEAN)) throw new Error(`poisson mean must be in [0, ${POISSON_MAX_MEAN}], got ${lambda}`);
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng.uniform();
  while (p > limit) {
    k++;
    p *= rng.uniform();
  }
  return k;
}
