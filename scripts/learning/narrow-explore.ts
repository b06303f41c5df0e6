/**
 * Explores set-ups of the narrow spiking learner (784 -> H LIF -> 10 LIF) on MNIST, tuned on validation digits only:
 * trains on digits drawn from train[0:50000] and scores a fixed subset of train[50000:60000] after every `--block`.
 *
 *     node scripts/ts.mjs scripts/learning/narrow-explore.ts --hid 20 --n 5000 --val 1000 --hl on --fb random
 */
import { SpikingFa, type SpikingFaProtocol } from '../../src/learning/spiking/spiking-fa.js';
import { frozen, testAccuracy } from '../../src/learning/spiking/spiking-digits.js';
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
const H = num('hid', 20);
const sc = loadScenario({
  name: 'explore', seed: num('seed', 1), duration_ms: 1, experiment: 'network',
  populations: [
    { name: 'in', model: 'poisson_source', size: 784, params: { rate_hz: 0 } },
    { name: 'hid', model: 'lif', size: H, params: lif(num('htau', 20), num('hbias', 10), num('hreset', -70)) },
    { name: 'out', model: 'lif', size: 10, params: lif(num('otau', 20), num('obias', 19), num('oreset', -56)) },
    { name: 'teach_exc', model: 'poisson_source', size: 10, params: { rate_hz: 0 } },
    { name: 'teach_inh', model: 'poisson_source', size: 10, params: { rate_hz: 0 } },
  ],
  projections: [
    { name: 'in_hid', from: 'in', to: 'hid', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: { normal: [num('win', 0.0), num('wins', 0.1)] }, plasticity: stdp(num('ain', 1e-4), -num('inb', 1), num('inb', 1)) },
    { name: 'hid_out', from: 'hid', to: 'out', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: { normal: [num('wout', 0.0), num('wouts', 0.3)] }, plasticity: stdp(num('aout', 1e-3), -num('outb', 3), num('outb', 3)) },
    { name: 'out_hid', from: 'out', to: 'hid', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: { uniform: [-num('b', 1), num('b', 1)] } },
    { name: 'teach_exc_out', from: 'teach_exc', to: 'out', receptor: 'exc', connect: { rule: 'one_to_one' }, weight_mv: 1 },
    { name: 'teach_inh_out', from: 'teach_inh', to: 'out', receptor: 'inh', connect: { rule: 'one_to_one' }, weight_mv: -1 },
  ],
  record: { spikes: [] },
});
const p: SpikingFaProtocol = {
  input_rate_hz: num('rate', 200), t_free_ms: num('tfree', 100), t_nudge_ms: num('tnudge', 100), teacher_mode: 'error',
  target_hi_hz: num('hi', 100), target_lo_hz: num('lo', 5), teacher_gain: num('gain', 5), teacher_rate_hz: 1000,
  gating: 'contrastive', t_warmup_ms: num('warm', 30), between: str('between', 'none') as 'none',
  hidden_learning: str('hl', 'on') as 'on', feedback: str('fb', 'random') as 'random', consolidation: str('cons', 'example') as 'example',
};
const train = loadMnist('train');
const learner = new SpikingFa(sc, p);
const tester = new SpikingFa(frozen(sc), { ...p, t_free_ms: num('ttest', p.t_free_ms) });
const order = shuffled(50000, createRng(num('seed', 1), 'digits/train-order'));
const valIdx = shuffled(10000, createRng(1, 'digits/val-subset')).slice(0, num('val', 1000)).map((i) => 50000 + i);
const x = new Float64Array(784);
const n = num('n', 5000);
const block = num('block', 1000);
let cpu = 0, right = 0, hs = 0, os = 0, inb = 0;
const hidRates = new Float64Array(H);
const report = (k: number) => {
  const acc = testAccuracy(learner, tester, train, valIdx);
  const sorted = Array.from(hidRates).map((c) => (1000 * c) / (inb * p.t_free_ms)).sort((u, v) => u - v);
  console.log(`${k}: val ${(100 * acc).toFixed(1)}% online ${(100 * right / Math.max(1, inb)).toFixed(1)}% hid ${(1000 * hs / (Math.max(1, inb) * H * p.t_free_ms)).toFixed(1)} Hz [${sorted.filter((_, i) => i % 5 === 0).map((r) => r.toFixed(0)).join(' ')}] out ${(1000 * os / (Math.max(1, inb) * 10 * p.t_free_ms)).toFixed(1)} Hz cpu ${cpu.toFixed(0)} s`);
  right = hs = os = inb = 0;
  hidRates.fill(0);
};
if (a.val0) report(0);
for (let k = 0; k < n; k++) {
  const id = order[k % order.length];
  mnistPixels(train, id, x);
  const c0 = process.cpuUsage();
  const r = learner.present(x, train.labels[id], true);
  const dc = process.cpuUsage(c0);
  cpu += (dc.user + dc.system) / 1e6;
  if (r.prediction === train.labels[id]) right++;
  r.hidFree.forEach((c, i) => { hs += c; hidRates[i] += c; });
  for (const c of r.outFree) os += c;
  inb++;
  if ((k + 1) % block === 0) {
    report(k + 1);
    learner.plasticityScale *= num('decay', 1);
  }
}
if (a.ttest2) {
  const t2 = new SpikingFa(frozen(sc), { ...p, t_free_ms: num('ttest2', 600) });
  console.log(`final, readout over ${num('ttest2', 600)} ms: val ${(100 * testAccuracy(learner, t2, train, valIdx)).toFixed(1)}%`);
}
