/**
 * The first weight update of spiking recirculation against the rate rule's, for the same weights and pattern.
 *
 * From one set of initial weights, `trials` presentations of one pattern, each with its own input spike streams and
 * the learned weights restored before it; the mean STDP update per synapse is compared with the recirculation
 * update computed from the network's own mean rates in the two passes (per neuron, in Hz):
 *
 *     vis_hid (visible i -> hidden j):  v2_i (h1_j - h3_j)        bias_hid:  r_bias (h1_j - h3_j)
 *     hid_vis (hidden j -> visible i):  h1_j (v0_i - v2_i)        bias_vis:  r_bias (v0_i - v2_i)
 *
 * i.e. the published rule with the units' activities read off the spiking network: the LIF transfer is not a
 * logistic, so the rate rule is applied to the rates that the network has, not to those a logistic net would have.
 * Reported: the cosine per direction (bottom-up: vis_hid and bias_hid; top-down: hid_vis and bias_vis) and over all
 * plastic synapses, each direction's update divided by its STDP amplitude so that the two are on one scale.
 */
import { cosine } from '../math/vector-stats.js';
import { SpikingRecirculation, type SpikingRecirculationOptions } from './recirculation-spiking.js';

export interface FirstUpdate {
  cosine_bottom_up: number;
  cosine_top_down: number;
  cosine_all: number;
  /** Mean rates (Hz) per pass, per neuron. */
  rates: { v0: number[]; h1: number[]; v2: number[]; h3: number[] };
  /** Mean spiking update and rate-rule update, concatenated vis_hid, bias_hid, hid_vis, bias_vis (spiking: / a). */
  spiking: number[];
  rate_rule: number[];
  trials: number;
}

export function firstUpdate(o: SpikingRecirculationOptions, seed: number, pattern: ArrayLike<number>, trials: number): FirstUpdate {
  const net = new SpikingRecirculation(o, seed);
  const names = ['vis_hid', 'bias_hid', 'hid_vis', 'bias_vis'] as const;
  const w0 = names.map((n) => net.learned(n).slice());
  const dw = names.map((n) => new Float64Array(net.learned(n).length));
  const nvK = o.nv * o.units_per_group;
  const nhK = o.nh * o.units_per_group;
  const sum = { v0: new Float64Array(nvK), h1: new Float64Array(nhK), v2: new Float64Array(nvK), h3: new Float64Array(nhK) };
  for (let t = 0; t < trials; t++) {
    names.forEach((n, k) => net.learned(n).set(w0[k]));
    net.useNoise(seed, `first-update/${t}`);
    const c = net.present(pattern);
    names.forEach((n, k) => {
      const l = net.learned(n);
      for (let s = 0; s < l.length; s++) dw[k][s] += (l[s] - w0[k][s]) / trials;
    });
    for (const key of ['v0', 'h1', 'v2', 'h3'] as const) for (let i = 0; i < c[key].length; i++) sum[key][i] += (1000 * c[key][i]) / o.t_pass_ms / trials;
  }
  const { v0, h1, v2, h3 } = sum;
  const rb = o.bias_rate_hz;
  // Expected updates per synapse, in synapse order (pre and post of each synapse from the projection).
  const rule = names.map((n) => {
    const p = net.proj[n];
    const pre = p.synapsePre();
    const out = new Float64Array(p.count);
    for (let s = 0; s < p.count; s++) {
      const j = p.post[s];
      const i = pre[s];
      if (n === 'vis_hid') out[s] = v2[i] * (h1[j] - h3[j]);
      else if (n === 'bias_hid') out[s] = rb * (h1[j] - h3[j]);
      else if (n === 'hid_vis') out[s] = h1[i] * (v0[j] - v2[j]);
      else out[s] = rb * (v0[j] - v2[j]);
    }
    return out;
  });
  const scaled = dw.map((d, k) => Array.from(d, (x) => x / (k < 2 ? o.a_bottom_up : o.a_top_down)));
  const cat = (xs: ArrayLike<number>[]) => xs.flatMap((x) => Array.from(x));
  return {
    cosine_bottom_up: cosine(cat(scaled.slice(0, 2)), cat(rule.slice(0, 2))),
    cosine_top_down: cosine(cat(scaled.slice(2)), cat(rule.slice(2))),
    cosine_all: cosine(cat(scaled), cat(rule)),
    rates: { v0: Array.from(v0), h1: Array.from(h1), v2: Array.from(v2), h3: Array.from(h3) },
    spiking: cat(scaled),
    rate_rule: cat(rule),
    trials,
  };
}
