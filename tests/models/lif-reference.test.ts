/**
 * The exact LIF against an independent, deliberately naive reference on random input trains: between inputs the
 * reference scans the closed form on a fine grid for the first threshold crossing and bisects it (no bounds, no
 * root isolation, no queue), applying resets and refractoriness by hand. Spike times must agree to 1e-9 ms.
 * This exercises the kernel's lazy machinery: check times (lower bounds), stale predictions after inhibition,
 * exact solves near threshold.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/kernel/rng.js';
import { runNet, spikeTimes, oneNeuron } from '../helpers.js';

type P = { tau_m_ms: number; v_rest_mv: number; v_reset_mv: number; v_th_mv: number; t_ref_ms: number; i_bias_mv: number; tau_syn_exc_ms: number; tau_syn_inh_ms: number };

function reference(p: P, inputs: { t: number; w: number; r: 0 | 1 }[], T: number): number[] {
  const vInf = p.v_rest_mv + p.i_bias_mv;
  const taus = [p.tau_syn_exc_ms, p.tau_syn_inh_ms];
  const state = (v: number, I: number[], h: number) => {
    let x = vInf + (v - vInf) * Math.exp(-h / p.tau_m_ms);
    for (let r = 0; r < 2; r++) {
      const ts = taus[r];
      if (ts === 0) continue; // delta synapse: no current
      x += I[r] * (ts / (ts - p.tau_m_ms)) * (Math.exp(-h / ts) - Math.exp(-h / p.tau_m_ms));
    }
    return x;
  };
  const spikes: number[] = [];
  let t = 0, v = p.v_rest_mv, refEnd = -Infinity;
  const I = [0, 0];
  const evs = [...inputs, { t: T, w: 0, r: 0 as const }];
  for (const ev of evs) {
    // Integrate from t to ev.t, firing on the way.
    for (;;) {
      if (refEnd > t) {
        const tt = Math.min(refEnd, ev.t);
        for (let r = 0; r < 2; r++) I[r] *= Math.exp(-(tt - t) / taus[r]);
        t = tt;
        if (t >= ev.t) break;
      }
      const step = 0.005;
      let found = -1;
      for (let h = step; t + h < ev.t + step; h += step) {
        const hh = Math.min(h, ev.t - t);
        if (state(v, I, hh) >= p.v_th_mv) {
          let lo = hh - step < 0 ? 0 : hh - step, hi = hh;
          for (let k = 0; k < 200; k++) {
            const mid = 0.5 * (lo + hi);
            if (state(v, I, mid) >= p.v_th_mv) hi = mid;
            else lo = mid;
          }
          found = hi;
          break;
        }
        if (hh === ev.t - t) break;
      }
      if (found < 0) {
        v = state(v, I, ev.t - t);
        for (let r = 0; r < 2; r++) I[r] *= Math.exp(-(ev.t - t) / taus[r]);
        t = ev.t;
        break;
      }
      for (let r = 0; r < 2; r++) I[r] *= Math.exp(-found / taus[r]);
      t += found;
      spikes.push(t);
      v = p.v_reset_mv;
      refEnd = t + p.t_ref_ms;
    }
    if (taus[ev.r] !== 0) I[ev.r] += ev.w;
    else if (!(refEnd > t)) {
      // Delta synapse: v jumps, unless refractory. Jumps at one instant are summed before the threshold test.
      v += ev.w;
      const last = ev === evs[evs.length - 1] || evs[evs.indexOf(ev) + 1].t !== ev.t;
      if (last && v >= p.v_th_mv) {
        spikes.push(t);
        v = p.v_reset_mv;
        refEnd = t + p.t_ref_ms;
      }
    }
  }
  return spikes.filter((s) => s < T);
}

/** Runs one neuron on the two input trains in the kernel and in the reference; spike times must agree to 1e-9 ms.
 * Returns the number of spikes. */
function checkAgainstReference(p: P, exc: number[], we: number, inh: number[], wi: number, T: number): number {
  const net = runNet(oneNeuron({ params: p, exc: { times: exc, w: we }, inh: { times: inh, w: wi }, duration_ms: T }));
  const inputs = [...exc.map((t) => ({ t, w: we, r: 0 as const })), ...inh.map((t) => ({ t, w: wi, r: 1 as const }))].sort((a, b) => a.t - b.t);
  const want = reference(p, inputs, T);
  const got = spikeTimes(net, 'n');
  expect(got.length).toBe(want.length);
  got.forEach((t, k) => expect(Math.abs(t - want[k])).toBeLessThan(1e-9));
  return got.length;
}

describe('lif against a naive reference on random inputs', () => {
  it('agrees on every spike time to 1e-9 ms', () => {
    const rng = createRng(21, 'lif-reference');
    let total = 0;
    for (let trial = 0; trial < 20; trial++) {
      const p: P = {
        tau_m_ms: 20, v_rest_mv: -70, v_reset_mv: -60, v_th_mv: -50, t_ref_ms: trial % 3 === 0 ? 0 : 2,
        i_bias_mv: 18 + 12 * rng.uniform(), tau_syn_exc_ms: [5, 3, 7.3][trial % 3], tau_syn_inh_ms: [10, 6, 13][trial % 3],
      };
      const T = 500;
      const exc: number[] = [], inh: number[] = [];
      for (let t = rng.exponential(1.5); t < T; t += rng.exponential(1.5)) exc.push(Math.round(t * 1000) / 1000);
      for (let t = rng.exponential(4); t < T; t += rng.exponential(4)) inh.push(Math.round(t * 1000) / 1000 + 0.0005);
      const we = 1 + 2 * rng.uniform();
      const wi = -(2 + 6 * rng.uniform());
      total += checkAgainstReference(p, exc, we, inh, wi, T);
    }
    expect(total).toBeGreaterThan(100);
  });

  it('agrees with delta (voltage-jump) synapses too, sub- and suprathreshold bias, over many epochs of the decay cache', () => {
    // Delta inputs take the group path (inputMany) that decays each neuron with a cached factor; 3000 ms spans
    // several rebases of that cache. Inhibition is a delta jump or a current.
    const rng = createRng(22, 'lif-reference/delta');
    let total = 0;
    for (let trial = 0; trial < 12; trial++) {
      const p: P = {
        tau_m_ms: [20, 10, 33][trial % 3], v_rest_mv: -70, v_reset_mv: -60, v_th_mv: -50, t_ref_ms: trial % 4 === 0 ? 0 : 2,
        i_bias_mv: 14 + 16 * rng.uniform(), tau_syn_exc_ms: 0, tau_syn_inh_ms: trial % 2 === 0 ? 0 : 5,
      };
      const T = 3000;
      const exc: number[] = [], inh: number[] = [];
      for (let t = rng.exponential(1); t < T; t += rng.exponential(1)) exc.push(Math.round(t * 100) / 100);
      for (let t = rng.exponential(3); t < T; t += rng.exponential(3)) inh.push(Math.round(t * 100) / 100 + 0.005);
      const we = 0.5 + 1.5 * rng.uniform();
      const wi = -(1 + 3 * rng.uniform());
      total += checkAgainstReference(p, exc, we, inh, wi, T);
    }
    expect(total).toBeGreaterThan(500);
  });
});
