/**
 * Explores set-ups of the spiking learner on MNIST: builds the fa-digits network from command-line knobs, trains
 * on `--n` digits and prints held-out accuracy on `--test` test digits after every `--block` examples.
 *
 *     node scripts/ts.mjs scripts/learning/spiking-mnist.ts --hid 300 --n 5000 --test 500
 */
import { SpikingFa, type SpikingFaProtocol } from '../../src/learning/spiking/spiking-fa.js';
import { frozen, testAccuracy, outputAlignmentDeg } from '../../src/learning/spiking/spiking-digits.js';
import { loadScenario } from '../../src/scenario/load.js';
import { loadMnist, mnistPixels } from '../../src/data/mnist.js';
import { createRng } from '../../src/kernel/rng.js';
import { shuffled } from '../../src/learning/trainer.js';
import { args } from './common.js';

const a = args();
const num = (k: string, d: number) => (a[k] !== undefined ? Number(a[k]) : d);
const str = (k: string, d: string) => a[k] ?? d;
const lif = (tau: number, bias: number, reset: number) => ({ tau_m_ms: tau, v_rest_mv: -70, v_reset_mv: reset, v_th_mv: -50, t_ref_ms: 2, i_bias_mv: bias, tau_syn_exc_ms: 0, tau_syn_inh_ms: 0 });
const stdp = (amp: number, lo: number, hi: number) => ({ rule: 'stdp' as const, a_plus: amp, a_minus: amp, tau_plus_ms: 20, tau_minus_ms: 20, weight_dependence: 'additive' as const, window: 'symmetric' as const, w_min_mv: lo, w_max_mv: hi });
const H = num('hid', 100);
const K = num('k', 1); // output units per class
const lat = num('lat', 0);
// --rf lo,hi: receptive-field connectivity (square patches of side lo..hi, --rfm cells of margin; --indeg picks n of
// each patch's pixels, else all of them); without it, fixed_indegree --indeg or all_to_all.
const rf = a.rf ? (a.rf.split(',').map(Number) as [number, number]) : undefined;
const inConnect = rf
  ? { rule: 'receptive_field' as const, width: 28, height: 28, patch: rf, margin: num('rfm', 0), ...(a.indeg ? { n: num('indeg', 0) } : {}) }
  : a.indeg ? { rule: 'fixed_indegree' as const, n: num('indeg', 0) } : { rule: 'all_to_all' as const };
const sc = loadScenario({
  name: 'explore', seed: num('seed', 1), duration_ms: 1, experiment: 'network',
  populations: [
    { name: 'in', model: 'poisson_source', size: 784, params: { rate_hz: 0 } },
    { name: 'hid', model: 'lif', size: H, params: lif(num('htau', 20), num('hbias', 10), -70) },
    { name: 'out', model: 'lif', size: 10 * K, params: lif(num('otau', 20), num('obias', 19), num('oreset', -56)) },
    { name: 'teach_exc', model: 'poisson_source', size: 10 * K, params: { rate_hz: 0 } },
    { name: 'teach_inh', model: 'poisson_source', size: 10 * K, params: { rate_hz: 0 } },
  ],
  projections: [
    { name: 'in_hid', from: 'in', to: 'hid', receptor: 'exc', connect: inConnect, weight_mv: { normal: [num('win', 0.05), num('wins', 0.15)] }, plasticity: stdp(num('ain', 1e-4), -num('inb', 0.4), num('inb', 0.4) + 0.1) },
    { name: 'hid_out', from: 'hid', to: 'out', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: { normal: [num('wout', 0.05), num('wouts', 0.2)] }, plasticity: stdp(num('aout', 5e-3), -num('outb', 1.2), num('outb', 1.2) + 0.3) },
    { name: 'out_hid', from: 'out', to: 'hid', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: { uniform: [-num('b', 0.3), num('b', 0.3)] } },
    { name: 'teach_exc_out', from: 'teach_exc', to: 'out', receptor: 'exc', connect: { rule: 'one_to_one' }, weight_mv: 1 },
    { name: 'teach_inh_out', from: 'teach_inh', to: 'out', receptor: 'inh', connect: { rule: 'one_to_one' }, weight_mv: -1 },
    ...(lat > 0 ? [{ name: 'out_out', from: 'out', to: 'out', receptor: 'inh' as const, connect: { rule: 'all_to_all' as const }, weight_mv: -lat }] : []),
  ],
  record: { spikes: [] },
});
const p: SpikingFaProtocol = {
  input_rate_hz: num('rate', 100), t_free_ms: num('tfree', 50), t_nudge_ms: num('tnudge', 50), teacher_mode: 'error',
  target_hi_hz: num('hi', 80), target_lo_hz: num('lo', 20), teacher_gain: num('gain', 5), teacher_rate_hz: 1000,
  gating: 'contrastive', t_warmup_ms: num('warm', 80), between: str('between', 'rest') as 'rest', units_per_class: K,
};
const train = loadMnist('train');
const test = loadMnist('test');
const learner = new SpikingFa(sc, p);
const tester = new SpikingFa(frozen(sc), p);
const tester2 = new SpikingFa(frozen(sc), { ...p, t_free_ms: num('ttest', 200) });
const order = shuffled(train.count, createRng(1, 'fa-digits/train-order'));
const testIdx = shuffled(test.count, createRng(1, 'fa-digits/block-test')).slice(0, num('test', 500));
const x = new Float64Array(784);
const n = num('n', 5000);
const block = num('block', 1000);
let wall = 0, right = 0, hs = 0, os = 0, inb = 0;
const ev0 = learner.net.deliveredCount;
for (let k = 0; k < n; k++) {
  const id = order[k % order.length];
  mnistPixels(train, id, x);
  const t = performance.now();
  const r = learner.present(x, train.labels[id], true);
  wall += (performance.now() - t) / 1e3;
  if (r.prediction === train.labels[id]) right++;
  for (const c of r.hidFree) hs += c;
  for (const c of r.outFree) os += c;
  inb++;
  if ((k + 1) % block === 0) {
    const acc = testAccuracy(learner, tester, test, testIdx);
    console.log(`${k + 1}: test ${(100 * acc).toFixed(1)}% online ${(100 * right / inb).toFixed(1)}% hid ${(1000 * hs / (inb * H * p.t_free_ms)).toFixed(1)} Hz out ${(1000 * os / (inb * 10 * K * p.t_free_ms)).toFixed(1)} Hz angle ${outputAlignmentDeg(learner).toFixed(1)} train ${wall.toFixed(0)} s ${((learner.net.deliveredCount - ev0) / (k + 1) / 1e3).toFixed(0)}k ev/ex`);
    right = hs = os = inb = 0;
    learner.plasticityScale *= num('decay', 1);
  }
}
console.log(`final, readout over ${num('ttest', 200)} ms: ${(100 * testAccuracy(learner, tester2, test, testIdx)).toFixed(1)}%`);
