/**
 * Tests a trained fa-digits network again, from its results folder (run.json's scenario and weights/*.npy), with
 * another test look or on other digits: how much of the error is readout noise and how much is in the weights.
 *
 *     node scripts/ts.mjs scripts/learning/spiking-retest.ts --run results/fa-digits --look 400 --n 10000
 *
 * `--feedback off` tests without the feedback projection out_hid (weights 0): how much the outputs' feedback into
 * the hidden layer during the look changes the answer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpikingFa } from '../../src/learning/spiking/spiking-fa.js';
import { frozen, parseSettings, testAccuracy } from '../../src/learning/spiking/spiking-digits.js';
import { loadScenario } from '../../src/scenario/load.js';
import { loadMnist } from '../../src/data/mnist.js';
import { args } from './common.js';
import { parseNpy } from '../../tests/formats/npy-reader.js';

const a = args();
const dir = a.run ?? 'results/fa-digits';
const sc = loadScenario(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).scenario);
const s = parseSettings(sc);
const look = Number(a.look ?? s.t_test_ms ?? s.t_free_ms);
const tester = new SpikingFa(frozen(sc), { ...s, t_free_ms: look });
// Weights: dense [pre][post] files; each synapse takes its (pre, post) entry divided by the number of parallel
// synapses there (the file sums them), which restores the trained weights exactly when there are none.
for (const p of [tester.inHid, tester.hidOut]) {
  const bytes = new Uint8Array(readFileSync(join(dir, 'weights', `${p.name}.npy`)));
  const dense = new Float64Array(bytes.slice(parseNpy(bytes).dataOffset).buffer);
  const pre = p.synapsePre();
  const n = new Int32Array(dense.length);
  for (let q = 0; q < p.count; q++) n[pre[q] * p.target.size + p.post[q]]++;
  for (let q = 0; q < p.count; q++) { const k = pre[q] * p.target.size + p.post[q]; p.weight[q] = dense[k] / n[k]; }
}
if (a.feedback === 'off') tester.outHid.weight.fill(0);
const test = loadMnist('test', { dir: s.data_dir });
const count = Number(a.n ?? 10000);
const t0 = performance.now();
const acc = testAccuracy(tester, tester, test, Int32Array.from({ length: count }, (_, i) => i));
console.log(`${dir}: test accuracy ${(100 * acc).toFixed(2)}% on the first ${count} test digits with a ${look} ms look${a.feedback === 'off' ? ', feedback off' : ''} (${((performance.now() - t0) / 1e3).toFixed(0)} s)`);
