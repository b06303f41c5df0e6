/**
 * Is the "reversed" control of narrow-digits a control? The ablation negates the hidden layer's plasticity gain.
 * With fixed random feedback B, negating the hidden update is feedback alignment with -B, and -B is a draw from the
 * same distribution as B (uniform, symmetric about 0): another random feedback matrix, which feedback alignment
 * learns with just as well (the forward weights align with whichever B they get; Lillicrap et al. 2016). This script
 * shows it on the rate-coded twin of narrow-digits-apical (784 -> 20 -> 10 sigmoid units, squared error: the twins'
 * own trainer, src/learning/rate-twins.ts trainTwin), on the scenario's own split (digitSplit: its 20,000 training
 * digits from train[0:50000]), scored on its validation digits train[50000:60000] only (the test set is not touched).
 *
 *     node scripts/ts.mjs scripts/learning/fa-reversed.ts [--seeds 1,2,3] [--examples 20000]
 *
 * Prints, per seed, the validation accuracy of backprop, feedback alignment with B, and with -B. About 10 CPU s.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist } from '../../src/data/mnist.js';
import { fromMnistRows } from '../../src/learning/dataset.js';
import { trainTwin } from '../../src/learning/rate-twins.js';
import { digitSplit, parseSettings } from '../../src/learning/spiking/spiking-digits.js';
import { loadScenario, packageRoot } from '../../src/scenario/load.js';
import { args } from './common.js';

const a = args();
const seeds = (a.seeds ?? '1,2,3').split(',').map(Number);
// The scenario's own split and training digits (pool, order, validation), as its rate twins get them.
const sc = loadScenario(JSON.parse(readFileSync(join(packageRoot(), 'scenarios', 'narrow-digits-apical.json'), 'utf8')) as object);
const s = parseSettings(sc);
const examples = Number(a.examples ?? s.train_examples);
const train = loadMnist('train');
const split = digitSplit(train, s);
const data = {
  train: fromMnistRows(train, split.order.subarray(0, Math.min(examples, split.pool))),
  examples,
  validation: fromMnistRows(train, split.validation),
  test: fromMnistRows(train, new Int32Array(0)), // the test set is not touched
};
const sizes = [784, 20, 10];
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

console.log(`| seed | backprop | feedback alignment, B | feedback alignment, -B (the "reversed" gain) |`);
console.log(`|---|---|---|---|`);
for (const seed of seeds) {
  const cells = [trainTwin(sizes, data, seed, 'bp'), trainTwin(sizes, data, seed, 'fa'), trainTwin(sizes, data, seed, 'fa', -1)];
  console.log(`| ${seed} | ${cells.map((r) => pct(r.validation_accuracy)).join(' | ')} |`);
}
