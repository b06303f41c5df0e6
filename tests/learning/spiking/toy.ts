/** Small spiking FA networks for fast tests: nIn Poisson inputs, nHid LIF hidden units, nOut LIF outputs. */
import { corr as pearsonCorr } from 'mathjs';
import { loadScenario } from '../../../src/scenario/load.js';
import type { Scenario } from '../../../src/scenario/schema.js';
import type { SpikingFaProtocol } from '../../../src/learning/spiking/spiking-fa.js';

const lif = (bias: number, reset = -70) => ({ tau_m_ms: 20, v_rest_mv: -70, v_reset_mv: reset, v_th_mv: -50, t_ref_ms: 2, i_bias_mv: bias, tau_syn_exc_ms: 0, tau_syn_inh_ms: 0 });
const stdp = (a: number, lo: number, hi: number, window: 'antisymmetric' | 'symmetric') => ({ rule: 'stdp' as const, a_plus: a, a_minus: a, tau_plus_ms: 20, tau_minus_ms: 20, weight_dependence: 'multiplicative' as const, w_min_mv: lo, w_max_mv: hi, window });

export function toyScenario(o: { seed: number; nIn: number; nHid: number; nOut: number; wIn: [number, number]; wOut: [number, number]; b: number; a: number; hidBias: number; outBias: number; outReset?: number; window?: 'antisymmetric' | 'symmetric'; bound?: number; lateralInh_mv?: number }): Scenario {
  const win = o.window ?? 'antisymmetric';
  const bound = o.bound ?? 3;
  const lateral = o.lateralInh_mv ? [{ name: 'out_out', from: 'out', to: 'out', receptor: 'inh' as const, connect: { rule: 'all_to_all' as const }, weight_mv: -o.lateralInh_mv }] : [];
  return loadScenario({
    name: 'toy-fa', seed: o.seed, duration_ms: 1, experiment: 'network',
    populations: [
      { name: 'in', model: 'poisson_source', size: o.nIn, params: { rate_hz: 0 } },
      { name: 'hid', model: 'lif', size: o.nHid, params: lif(o.hidBias) },
      { name: 'out', model: 'lif', size: o.nOut, params: lif(o.outBias, o.outReset ?? -70) },
      { name: 'teach_exc', model: 'poisson_source', size: o.nOut, params: { rate_hz: 0 } },
      { name: 'teach_inh', model: 'poisson_source', size: o.nOut, params: { rate_hz: 0 } },
    ],
    projections: [
      { name: 'in_hid', from: 'in', to: 'hid', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: { normal: o.wIn }, plasticity: stdp(o.a, -bound, bound, win) },
      { name: 'hid_out', from: 'hid', to: 'out', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: { normal: o.wOut }, plasticity: stdp(o.a, -bound, bound, win) },
      { name: 'out_hid', from: 'out', to: 'hid', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: { uniform: [-o.b, o.b] } },
      { name: 'teach_exc_out', from: 'teach_exc', to: 'out', receptor: 'exc', connect: { rule: 'one_to_one' }, weight_mv: 1 },
      { name: 'teach_inh_out', from: 'teach_inh', to: 'out', receptor: 'inh', connect: { rule: 'one_to_one' }, weight_mv: -1 },
      ...lateral,
    ],
    record: { spikes: [] },
  });
}

export const protocol = (o: Partial<SpikingFaProtocol> = {}): SpikingFaProtocol => ({
  input_rate_hz: 100, t_free_ms: 100, t_nudge_ms: 100, teacher_mode: 'fixed', target_hi_hz: 80, target_lo_hz: 0, teacher_gain: 20, teacher_rate_hz: 1000, ...o,
});

/** Pearson correlation of two vectors (mathjs), for comparing an update with its rate-coded counterpart. */
export const corr = (a: ArrayLike<number>, b: ArrayLike<number>): number => pearsonCorr(Array.from(a), Array.from(b)) as number;
