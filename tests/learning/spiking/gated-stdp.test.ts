import { describe, it, expect } from 'vitest';
import { loadScenario } from '../../../src/scenario/load.js';
import { Network } from '../../../src/scenario/network.js';
import { withoutPlasticity } from '../../../src/learning/spiking/spiking-fa.js';
import { GatedStdp } from '../../../src/learning/spiking/gated-stdp.js';

/** 30 Poisson inputs onto 5 LIF neurons with STDP: enough pairs to exercise both lobes of the window. */
const scenario = (window: 'antisymmetric' | 'symmetric') => loadScenario({
  name: 'gated', seed: 7, duration_ms: 500, experiment: 'network',
  populations: [
    { name: 'in', model: 'poisson_source', size: 30, params: { rate_hz: 40 } },
    { name: 'out', model: 'lif', size: 5, params: { tau_m_ms: 20, v_rest_mv: -70, v_reset_mv: -70, v_th_mv: -50, t_ref_ms: 2, i_bias_mv: 15, tau_syn_exc_ms: 0, tau_syn_inh_ms: 0 } },
  ],
  projections: [{ name: 'p', from: 'in', to: 'out', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: { uniform: [0.5, 1.5] },
    plasticity: { rule: 'stdp', a_plus: 0.01, a_minus: 0.012, tau_plus_ms: 17, tau_minus_ms: 34, weight_dependence: 'multiplicative', w_min_mv: -2, w_max_mv: 3, window } }],
  record: { spikes: [] },
});

/** Weights after 500 ms with the built-in stdp rule (the oracle), and with the gated rule at gain g. */
function run(window: 'antisymmetric' | 'symmetric', g: number | null): { w0: Float64Array; w: Float64Array } {
  const sc = scenario(window);
  const net = new Network(g === null ? sc : withoutPlasticity(sc));
  const proj = net.projections.get('p')!;
  if (g !== null) new GatedStdp(proj, sc.projections[0].plasticity!).attach().gain = g;
  const w0 = proj.weight.slice();
  net.start();
  net.run(500);
  return { w0, w: proj.weight.slice() };
}

describe('phase-gated STDP', () => {
  for (const window of ['antisymmetric', 'symmetric'] as const) {
    it(`at gain 1 it is the stdp rule (${window} window), at gain 0 it changes nothing`, () => {
      const ref = run(window, null);
      const one = run(window, 1);
      let changed = 0;
      for (let k = 0; k < ref.w.length; k++) {
        expect(one.w[k]).toBe(ref.w[k]);
        if (ref.w[k] !== ref.w0[k]) changed++;
      }
      expect(changed).toBeGreaterThan(ref.w.length / 2);
      const zero = run(window, 0);
      expect(Array.from(zero.w)).toEqual(Array.from(zero.w0));
    });
  }

  it('gain -1 reverses the direction of every weight change', () => {
    // Soft bounds make the reversed steps differ in size, and the changed weights move the post spikes a little,
    // so compare only the sign of each synapse's total change.
    const plus = run('symmetric', 1);
    const minus = run('symmetric', -1);
    let agree = 0, n = 0;
    for (let k = 0; k < plus.w.length; k++) {
      const dp = plus.w[k] - plus.w0[k];
      const dm = minus.w[k] - minus.w0[k];
      if (dp === 0) continue;
      n++;
      if (Math.sign(dp) === -Math.sign(dm)) agree++;
    }
    expect(n).toBeGreaterThan(0);
    expect(agree).toBe(n);
  });
});
