/**
 * Song, Miller & Abbott 2000 (Fig. 2) as the oracle: additive bounded STDP with slightly dominant depression splits
 * the weights into a group near 0 and a group near w_max, with few in between, and the output rate falls from its
 * initial value to a stable lower one. Multiplicative (soft-bound) STDP gives one mode instead (van Rossum et al. 2000).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { song2000Experiment } from '../../src/experiments/song2000.js';

interface Metrics {
  weights: { fraction_below_0_1_wmax: number; fraction_above_0_9_wmax: number; histogram: { counts: number[] } };
  output_rate_hz_per_window: number[];
}

async function run(set: string[]): Promise<Metrics> {
  const r = await song2000Experiment.run(loadScenario('song2000', { set }), { workers: 1 });
  return r.metrics as unknown as Metrics;
}

describe('song2000', () => {
  it('additive STDP: bimodal weights and an output rate that falls and settles', async () => {
    const m = await run([]);
    const { counts } = m.weights.histogram;
    const n = counts.reduce((a, b) => a + b, 0);
    const middle = counts.slice(5, 15).reduce((a, b) => a + b, 0) / n; // 0.25 to 0.75 w_max
    expect(m.weights.fraction_below_0_1_wmax + m.weights.fraction_above_0_9_wmax).toBeGreaterThan(0.55);
    expect(m.weights.fraction_below_0_1_wmax).toBeGreaterThan(0.15);
    expect(m.weights.fraction_above_0_9_wmax).toBeGreaterThan(0.15);
    expect(middle).toBeLessThan(0.3);
    const r = m.output_rate_hz_per_window;
    const last = r.slice(-10);
    const mean = last.reduce((a, b) => a + b, 0) / last.length;
    const sd = Math.sqrt(last.reduce((a, b) => a + (b - mean) ** 2, 0) / last.length);
    expect(mean).toBeLessThan(0.7 * r[0]);
    expect(sd / mean).toBeLessThan(0.15);
  });

  it('multiplicative STDP: one mode, nothing near the bounds', async () => {
    const m = await run(['projections.input.plasticity.weight_dependence=multiplicative', 'duration_ms=200000']);
    const { counts } = m.weights.histogram;
    expect(counts.slice(0, 6).every((c) => c === 0)).toBe(true);
    expect(counts.slice(14).every((c) => c === 0)).toBe(true);
  });
});
