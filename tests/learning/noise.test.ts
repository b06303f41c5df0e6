import { describe, it, expect } from 'vitest';
import { createRng } from '../../src/kernel/rng.js';
import { applyNoise, type HiddenNoise } from '../../src/learning/hidden-noise.js';
import { poisson } from '../../src/learning/poisson.js';

const H = Float64Array.from([0, 0.05, 0.3, 0.5, 0.9, 1]);

/** Sample mean and variance of each unit's h~ over n draws. */
function moments(noise: HiddenNoise, n: number): { mean: Float64Array; variance: Float64Array; gates: Set<number> } {
  const rng = createRng(11, `noise/${noise.kind}`);
  const hn = new Float64Array(H.length);
  const gate = new Float64Array(H.length);
  const s1 = new Float64Array(H.length);
  const s2 = new Float64Array(H.length);
  const gates = new Set<number>();
  for (let k = 0; k < n; k++) {
    applyNoise(noise, H, hn, gate, rng);
    for (let j = 0; j < H.length; j++) {
      s1[j] += hn[j];
      s2[j] += hn[j] * hn[j];
      gates.add(gate[j]);
    }
  }
  const mean = s1.map((v) => v / n);
  return { mean, variance: s2.map((v, j) => v / n - mean[j] * mean[j]), gates };
}

describe('hidden noise is unbiased, with the variance its closed form says', () => {
  const n = 40000;
  it('dropout (p = 1/2: twice the value or zero): mean h, variance h^2 p/(1-p)', () => {
    const p = 0.5;
    const { mean, variance, gates } = moments({ kind: 'dropout', p_drop: p }, n);
    for (let j = 0; j < H.length; j++) {
      const v = (H[j] * H[j] * p) / (1 - p);
      // 5 standard errors of the mean; the sample variance within 5% (its relative sd here is about 1%).
      expect(Math.abs(mean[j] - H[j])).toBeLessThanOrEqual(5 * Math.sqrt(v / n));
      expect(Math.abs(variance[j] - v)).toBeLessThanOrEqual(0.05 * v);
    }
    expect([...gates].sort()).toEqual([0, 2]);
  });

  it('Poisson spike counts (5 spikes expected at activity 1): mean h, variance h / max_count', () => {
    const c = 5;
    const { mean, variance, gates } = moments({ kind: 'poisson', max_count: c }, n);
    for (let j = 0; j < H.length; j++) {
      const v = H[j] / c;
      expect(Math.abs(mean[j] - H[j])).toBeLessThanOrEqual(5 * Math.sqrt(v / n));
      expect(Math.abs(variance[j] - v)).toBeLessThanOrEqual(0.05 * v + 1e-12);
    }
    expect([...gates]).toEqual([1]);
  });

  it('the Poisson sampler matches the probability mass function (chi-square, lambda = 2.5)', () => {
    const rng = createRng(3, 'pois');
    const lambda = 2.5;
    const n = 50000;
    const counts = new Float64Array(12);
    for (let k = 0; k < n; k++) counts[Math.min(11, poisson(lambda, rng))]++;
    let chi2 = 0;
    let cdf = 0;
    for (let k = 0; k < 12; k++) {
      let p = k < 11 ? (Math.exp(-lambda) * lambda ** k) / [1, 1, 2, 6, 24, 120, 720, 5040, 40320, 362880, 3628800][k] : 1 - cdf;
      cdf += p;
      p = Math.max(p, 1e-12);
      chi2 += (counts[k] - n * p) ** 2 / (n * p);
    }
    // 11 degrees of freedom: P(chi2 > 31.3) = 0.001.
    expect(chi2).toBeLessThan(31.3);
  });
});
