/**
 * The regularization claim (science.md claim 1): on a small training set (default 1000 digits drawn at random
 * with a fixed seed, so a 784-1000-10 network has about 800 weights per example), hidden units that send Poisson
 * spike counts or dropout values generalize better than units that send their real values. Trains each learner
 * for the same number of epochs (lr 0.1 decaying 0.98 per epoch) and prints train and test error (all 10,000 test digits); writes
 * results/learning/small-data*-n<n>-e<epochs>-seed<seed>.json (one file per seed, so seeds can run one after another).
 *
 *     node scripts/ts.mjs scripts/learning/small-data.ts [--n 1000] [--epochs 100] [--only bp,bp-dropout] [--seed 1]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadMnist } from '../../src/data/mnist.js';
import { fromMnist } from '../../src/learning/dataset.js';
import { args, learner, runLearner, table } from './common.js';

const a = args();
const seed = Number(a.seed ?? 1);
const n = Number(a.n ?? 1000);
const epochs = Number(a.epochs ?? 100);
// Many passes over few examples: a slower decay (0.98 per epoch) than the full-data runs' 0.85.
const decay = Number(a['lr-decay'] ?? 0.98);
const names = a.only ? a.only.split(',') : ['bp', 'bp-dropout', 'bp-poisson', 'fa', 'fa-dropout', 'fa-poisson'];
const train = fromMnist(loadMnist('train', { subset: { random: n, seed } }));
const test = fromMnist(loadMnist('test'));
const results = names.map((name) => runLearner(learner(name, [784, 1000, 10], seed, 1, decay), train, test, epochs, Math.max(1, Math.floor(epochs / 5)), `[small ${n}] `));
console.log(table(results));
mkdirSync('results/learning', { recursive: true });
const file = `results/learning/small-data${a.only ? '-' + names.join('+') : ''}-n${n}-e${epochs}-seed${seed}.json`;
writeFileSync(file, JSON.stringify({ seed, n, epochs, results }, null, 2) + '\n');
console.log(`wrote ${file}`);
