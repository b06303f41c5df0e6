/**
 * Is the "reversed" control of narrow-digits a control? The ablation negates the hidden layer's plasticity gain.
 * With fixed random feedback B, negating the hidden update is feedback alignment with -B, and -B is a draw from the
 * same distribution as B (uniform, symmetric about 0): another random feedback matrix, which feedback alignment
 * learns with just as well (the forward weights align with whichever B they get; Lillicrap et al. 2016). This script
 * shows it on the rate-coded twin of narrow-digits (784 -> 20 -> 10 sigmoid units, squared error, the twins' set-up in
 * src/learning/rate-twins.ts): the same 20,000 training digits (the scenario's train_subset_seed 1 order over
 * train[0:50000]), one pass, scored on the validation digits train[50000:60000] only (the test set is not touched).
 *
 *     node scripts/ts.mjs scripts/learning/fa-reversed.ts [--seeds 1,2,3] [--examples 20000]
 *
 * Prints, per seed, the validation accuracy of backprop, feedback alignment with B, and with -B. About 10 CPU s.
 */
import { loadMnist } from '../../src/data/mnist.js';
import { fromMnistRows } from '../../src/learning/dataset.js';
import { createMlp } from '../../src/learning/mlp.js';
import { Trainer, errorRate, shuffled } from '../../src/learning/trainer.js';
import type { FeedbackRule } from '../../src/learning/gradients.js';
import { createRng } from '../../src/kernel/rng.js';
import { args } from './common.js';

const a = args();
const seeds = (a.seeds ?? '1,2,3').split(',').map(Number);
const examples = Number(a.examples ?? 20000);
const POOL = 50000; // narrow-digits: validation_examples 10,000 of the 60,000 training digits

const train = loadMnist('train');
const order = shuffled(POOL, createRng(1, 'digits/train-order'));
const trainSet = fromMnistRows(train, order.subarray(0, examples));
const validation = fromMnistRows(train, Int32Array.from({ length: train.count - POOL }, (_, i) => POOL + i));

/** Validation accuracy (%) of one twin trained for one pass; feedback multiplied by `sign` (fa only). */
function accuracy(seed: number, rule: FeedbackRule, sign: 1 | -1): number {
  const net = createMlp({ sizes: [784, 20, 10], init_scale: 1, feedback_scale: 8, hidden: 'sigmoid', output: 'sigmoid-mse' }, seed);
  if (sign < 0) for (const B of net.B) for (let k = 0; k < B.length; k++) B[k] = -B[k];
  new Trainer(net, trainSet, { rule, lr: 0.1, lr_decay: 0.85, seed }).epoch();
  return 100 * (1 - errorRate(net, validation));
}

console.log(`| seed | backprop | feedback alignment, B | feedback alignment, -B (the "reversed" gain) |`);
console.log(`|---|---|---|---|`);
for (const seed of seeds) {
  const cells = [accuracy(seed, 'bp', 1), accuracy(seed, 'fa', 1), accuracy(seed, 'fa', -1)].map((x) => `${x.toFixed(1)}%`);
  console.log(`| ${seed} | ${cells.join(' | ')} |`);
}
