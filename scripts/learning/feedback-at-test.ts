/**
 * Does the feedback projection change what a trained narrow-digits network reads out? Loads the forward weights of
 * finished ablation runs and scores them on validation digits with the feedback out_hid as the scenario builds it
 * (random, centred) and with out_hid silent, on the same digits and input-noise stream:
 *
 *     node scripts/ts.mjs scripts/learning/feedback-at-test.ts --runs results/narrow-digits-ablations-v2 --seed 1 --n 2000
 *
 * "none" and "frozen" end with the same hidden weights (the paired phases give "none" no hidden update at all), so
 * any gap between them at test comes from the feedback connections acting on the forward pass, not from learning.
 */
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/load.js';
import { parseSettings, frozen } from '../../src/learning/spiking/spiking-digits.js';
import { runFaTestChunk } from '../../src/learning/spiking/fa-test-chunk.js';
import { SpikingFa } from '../../src/learning/spiking/spiking-fa.js';
import { loadMnist } from '../../src/data/mnist.js';
import { args } from './common.js';
import { npyValues } from './npy.js';

const a = args();
const runs = a.runs ?? 'results/narrow-digits-ablations-v2';
const seed = Number(a.seed ?? 1);
const n = Number(a.n ?? 2000);
const sc = loadScenario('narrow-digits', { set: [`seed=${seed}`] });
const s = parseSettings(sc);
// Dense [pre][post] files back into the projections' synapse order (all-to-all: synapse k is pre x post).
const probe = new SpikingFa(frozen(sc), { ...s, shuffle_seed: sc.seed });
const sparse = (dense: Float64Array, p: SpikingFa['inHid']): Float64Array => {
  const pre = p.synapsePre();
  return Float64Array.from({ length: p.count }, (_, k) => dense[pre[k] * p.target.size + p.post[k]]);
};
const train = loadMnist('train');
const indices = Int32Array.from({ length: n }, (_, i) => 50000 + i);
const feedbackAsBuilt = probe.outHid.weight.slice();
const silent = new Float64Array(feedbackAsBuilt.length);
for (const config of (a.configs ?? 'on,frozen,none').split(',')) {
  const dir = join(runs, `${config}-seed${seed}`, 'weights');
  const inHid = sparse(npyValues(join(dir, 'in_hid.npy')), probe.inHid);
  const hidOut = sparse(npyValues(join(dir, 'hid_out.npy')), probe.hidOut);
  const row: string[] = [];
  for (const [label, outHid] of [['feedback on', feedbackAsBuilt], ['feedback silent', silent]] as const) {
    const { predictions } = runFaTestChunk({
      scenario: sc, protocol: { ...s, t_free_ms: s.t_test_ms ?? s.t_free_ms }, inHid, hidOut, outHid,
      split: 'train', indices, stream: 'feedback-at-test',
    });
    let right = 0;
    for (let k = 0; k < n; k++) if (predictions[k] === train.labels[indices[k]]) right++;
    row.push(`${label} ${((100 * right) / n).toFixed(1)}%`);
  }
  console.log(`${config}: ${row.join(', ')}`);
}
