/**
 * The 2-class toy problem of tests/learning/spiking/toy-task.test.ts, with settings from the command line, for
 * exploring set-ups of the spiking learner. Prints held-out accuracy after each block of training examples.
 *
 *     node scripts/ts.mjs scripts/learning/spiking-toy.ts [--gating contrastive] [--window symmetric] [--a 0.003] ...
 */
import { SpikingFa } from '../../src/learning/spiking/spiking-fa.js';
import { frozen } from '../../src/learning/spiking/spiking-digits.js';
import { createRng } from '../../src/kernel/rng.js';
import { toyScenario, protocol } from '../../tests/learning/spiking/toy.js';
import { args } from './common.js';

const a = args();
const num = (k: string, d: number) => (a[k] !== undefined ? Number(a[k]) : d);
const nIn = 20;
const seed = num('seed', 3);
const sc = toyScenario({ seed, nIn, nHid: num('hid', 20), nOut: 2, wIn: [num('win', 0.2), 0.1], wOut: [num('wout', 0.1), 0.2], b: num('b', 2), a: num('a', 0.003), hidBias: num('hidbias', 16), outBias: num('outbias', 19), outReset: -56, window: (a.window ?? 'antisymmetric') as 'symmetric', bound: num('bound', 3), lateralInh_mv: num('lat', 0) });
const p = protocol({ input_rate_hz: num('rate', 400), t_free_ms: num('tfree', 60), t_nudge_ms: num('tnudge', 60), teacher_mode: 'error', target_hi_hz: num('hi', 80), target_lo_hz: num('lo', 10), teacher_gain: num('gain', 20), gating: (a.gating ?? 'always') as 'contrastive', t_warmup_ms: num('warm', 0) });
const learner = new SpikingFa(sc, p);
const tester = new SpikingFa(frozen(sc), p);
const rng = createRng(seed, 'toy-patterns');
const pattern = (c: number) => Float64Array.from({ length: nIn }, (_, i) => ((i < nIn / 2) === (c === 0) ? 0.8 + 0.2 * rng.uniform() : 0.3 * rng.uniform()));
const accuracy = (n: number) => {
  tester.copyWeightsFrom(learner);
  let right = 0;
  const rates = [0, 0, 0, 0];
  for (let k = 0; k < n; k++) {
    const c = k % 2;
    const r = tester.present(pattern(c), c, false);
    if (r.prediction === c) right++;
    rates[2 * c] += r.outFree[0] / (n / 2);
    rates[2 * c + 1] += r.outFree[1] / (n / 2);
  }
  return `${(100 * right / n).toFixed(0)}% counts c0:[${rates[0].toFixed(1)},${rates[1].toFixed(1)}] c1:[${rates[2].toFixed(1)},${rates[3].toFixed(1)}]`;
};
const total = num('n', 150);
console.log(`0: ${accuracy(100)}`);
for (let k = 0; k < total; k++) {
  const c = rng.uniform() < 0.5 ? 0 : 1;
  learner.present(pattern(c), c, true);
  if ((k + 1) % num('block', 50) === 0) console.log(`${k + 1}: ${accuracy(100)}`);
}
