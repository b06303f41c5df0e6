/**
 * The converse rule (pre spike x causal dV_post/dt) on spiking LIF neurons: its effective window, the
 * spike-triggered average of the backward derivative, is positive for pre-before-post (the membrane climbs to
 * threshold) and negative for post within delta before pre (the reset). Conservation check: the derivative
 * averaged over all times is (v_end - v_start) / T per neuron, about 0 for a stationary membrane.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load.js';
import { stdpConverseExperiment } from '../../src/experiments/stdp-converse.js';

describe('stdp-converse', () => {
  it('gives a causal potentiation lobe and a reset dip', async () => {
    const r = await stdpConverseExperiment.run(loadScenario('stdp-converse', { set: ['duration_ms=5000', 'settings.neurons=20'] }), { workers: 1 });
    const m = r.metrics as Record<string, number> & { causal_fit: { a_plus: number; tau_plus_ms: number } };
    expect(m.post_spikes).toBeGreaterThan(500);
    expect(m.causal_area_mv).toBeGreaterThan(0);
    expect(m.reset_dip_area_mv).toBeLessThan(0);
    expect(m.causal_fit.a_plus).toBeGreaterThan(0);
    expect(Math.abs(m.mean_dv_dt)).toBeLessThan(0.01);
  });
});
