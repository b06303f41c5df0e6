/**
 * The rate-coded twin against the spiking run of the same scenario (cross-implementation): a feedforward LIF
 * population driven by Poisson inputs fires within 8% of the Siegert prediction (fast synapses, where the
 * Fourcaud-Brunel correction holds); and the rate twin's STDP expectation (rate traces) equals the double integral
 * of the window against its own recorded rates.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { simulateNetwork } from '../../src/scenario/run-network.js';
import { simulateRateNetwork } from '../../src/scenario/run-rate.js';
import { windowAt } from '../../src/analysis/stdp-theory.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';

const feedforward = (w: number): ScenarioInput => ({
  name: 'feedforward', seed: 3, duration_ms: 2000,
  populations: [
    { name: 'in', model: 'poisson_source', size: 1000, params: { rate_hz: 10 } },
    { name: 'n', model: 'lif', size: 200, params: { tau_m_ms: 20, v_rest_mv: -70, v_reset_mv: -60, v_th_mv: -50, t_ref_ms: 2, tau_syn_exc_ms: 1, tau_syn_inh_ms: 1 } },
  ],
  projections: [{ name: 'p', from: 'in', to: 'n', receptor: 'exc', connect: { rule: 'fixed_indegree', n: 100 }, weight_mv: w }],
});

describe('rate-coded twin', () => {
  it('predicts the spiking population rate within 8% (feedforward, fluctuation- and mean-driven)', () => {
    for (const w of [18, 20, 24]) {
      const spiking = simulateNetwork(loadScenario(feedforward(w)), { workers: 1 }).result.metrics.populations as Record<string, { rate_hz: number }>;
      const rate = simulateRateNetwork(loadScenario({ ...feedforward(w), mode: 'rate' }), { workers: 1 }).result.metrics.populations as Record<string, { rate_hz: number }>;
      expect(spiking.n.rate_hz).toBeGreaterThan(5);
      expect(Math.abs(rate.n.rate_hz - spiking.n.rate_hz) / spiking.n.rate_hz).toBeLessThan(0.08);
    }
  });

  it('integrates the STDP expectation exactly: weight change = double integral of W against the rates', () => {
    const rule = { rule: 'stdp' as const, a_plus: 0.002, a_minus: 0.0005, tau_plus_ms: 15, tau_minus_ms: 30, w_min_mv: -10, w_max_mv: 10 };
    const sc = loadScenario({
      name: 'rate-stdp', seed: 1, duration_ms: 500, mode: 'rate', rate: { dt_ms: 0.1, record_every_ms: 0.1 },
      populations: [
        { name: 'pre', model: 'poisson_source', size: 1, params: { rate_hz: { times_ms: [0, 500], rates_hz: [40, 5] } } },
        { name: 'drive', model: 'poisson_source', size: 1, params: { rate_hz: { times_ms: [0, 500], rates_hz: [1500, 3000] } } },
        { name: 'post', model: 'lif', size: 1, params: { tau_syn_exc_ms: 1, t_ref_ms: 2, v_reset_mv: -60, v_th_mv: -50 } },
      ],
      projections: [
        { name: 'd', from: 'drive', to: 'post', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: 10 },
        { name: 'plastic', from: 'pre', to: 'post', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: 0, plasticity: rule },
      ],
    });
    const { net } = simulateRateNetwork(sc, { workers: 1 });
    const rPre = net.recordRates.get('pre')!.map((r) => r * 1e-3);
    const rPost = net.recordRates.get('post')!.map((r) => r * 1e-3);
    expect(Math.max(...rPost) * 1e3).toBeGreaterThan(10);
    const dt = 0.1;
    const w = { ...rule, pairing: 'all_to_all' as const, window: 'antisymmetric' as const, sign: 1 as const };
    let expected = 0;
    for (let i = 0; i < rPre.length; i++) {
      if (rPre[i] === 0) continue;
      for (let j = 0; j < rPost.length; j++) {
        // W jumps at s = 0: the cell on the diagonal gets the mean of its two sides.
        const W = j === i ? 0.5 * (windowAt(w, 0) + windowAt(w, -1e-12)) : windowAt(w, (j - i) * dt);
        expected += rPre[i] * rPost[j] * W * dt * dt;
      }
    }
    const got = net.projections.find((p) => p.name === 'plastic')!.weight[0];
    expect(Math.abs(got - expected)).toBeLessThan(0.02 * Math.abs(expected));
  });
});
