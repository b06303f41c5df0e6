/**
 * What a hidden layer sends up during training, in place of its real activity h (science.md claim 1). Each is
 * unbiased: E[h~] = h.
 *
 *     none:     h~ = h
 *     dropout:  h~ = h / (1 - p_drop) with probability 1 - p_drop, else 0   (p_drop = 1/2: "twice its value or zero")
 *     poisson:  h~ = N / max_count,  N ~ Poisson(h * max_count)              (h in [0, 1]: a spike count in a window
 *               where activity 1 means max_count expected spikes, e.g. 100 Hz for 50 ms = 5)
 *
 * `gate` is what the backward pass multiplies the hidden delta by: the dropout mask scale (a dropped unit passes
 * no error), and 1 for Poisson noise, whose derivative is taken as that of its mean (straight-through).
 * At test time the clean h is used.
 */
import type { Rng } from '../kernel/rng.js';
import { poisson, POISSON_MAX_MEAN } from './poisson.js';

export type HiddenNoise = { kind: 'none' } | { kind: 'dropout'; p_drop: number } | { kind: 'poisson'; max_count: number };

export const NO_NOISE: HiddenNoise = { kind: 'none' };

export function checkNoise(n: HiddenNoise): void {
  if (n.kind === 'dropout' && !(n.p_drop >= 0 && n.p_drop < 1)) throw new Error(`dropout p_drop must be in [0, 1), got ${n.p_drop}`);
  if (n.kind === 'poisson' && !(n.max_count > 0 && n.max_count <= POISSON_MAX_MEAN)) {
    throw new Error(`poisson max_count must be in (0, ${POISSON_MAX_MEAN}], got ${n.max_count}`);
  }
}

export function applyNoise(noise: HiddenNoise, h: Float64Array, hn: Float64Array, gate: Float64Array, rng: Rng): void {
  const n = h.length;
  if (noise.kind === 'none') {
    hn.set(h);
    gate.fill(1);
  } else if (noise.kind === 'dropout') {
    const scale = 1 / (1 - noise.p_drop);
    for (let j = 0; j < n; j++) {
      const g = rng.uniform() < noise.p_drop ? 0 : scale;
      gate[j] = g;
      hn[j] = g * h[j];
    }
  } else {
    const c = noise.max_count;
    for (let j = 0; j < n; j++) {
      if (!(h[j] >= 0 && h[j] <= 1)) throw new Error(`poisson hidden noise needs activities in [0, 1] (sigmoid units), got ${h[j]}`);
      hn[j] = poisson(h[j] * c, rng) / c;
    }
    gate.fill(1);
  }
}
