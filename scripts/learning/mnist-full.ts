/**
 * Rate-coded learners on the full MNIST set (60,000 training, 10,000 test digits): backprop vs feedback alignment
 * in a wide 784-1000-10 network (Lillicrap et al. 2016 report about 2% test error for both), with dropout and
 * Poisson-noise hidden units, through a narrow 784-10-10 network, through bottlenecks of 4 units (784-4-10 and
 * 784-256-4-256-10, narrower than the output), and with sparse non-overlapping forward and
 * feedback links (1/4 each). Prints per-epoch test error and a final table; writes results/learning/mnist-full*.json.
 *
 *     node scripts/ts.mjs scripts/learning/mnist-full.ts [--epochs 8] [--only wide-bp,wide-fa] [--seed 1] [--lr-decay 0.85]
 *
 * Runs are independent: split them over processes with --only (each writes its own JSON file).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadMnist } from '../../src/data/mnist.js';
import { fromMnist } from '../../src/learning/dataset.js';
import { args, learner, runLearner, table, type Learner } from './common.js';

const a = args();
const seed = Number(a.seed ?? 1);
const epochs = Number(a.epochs ?? 8);
const decay = a['lr-decay'] !== undefined ? Number(a['lr-decay']) : undefined;
const runs: Record<string, Learner> = {
  'wide-bp': learner('bp', [784, 1000, 10], seed, 1, decay),
  'wide-fa': learner('fa', [784, 1000, 10], seed, 1, decay),
  'wide-bp-dropout': learner('bp-dropout', [784, 1000, 10], seed),
  'wide-bp-poisson': learner('bp-poisson', [784, 1000, 10], seed),
  'narrow-bp': learner('bp', [784, 10, 10], seed),
  'narrow-fa': learner('fa', [784, 10, 10], seed),
  // Bottlenecks narrower than the 10-way output: one right before it, and one mid-network between wide layers.
  'tiny-bp': learner('bp', [784, 4, 10], seed),
  'tiny-fa': learner('fa', [784, 4, 10], seed),
  'mid-bp': learner('bp', [784, 256, 4, 256, 10], seed),
  'mid-fa': learner('fa', [784, 256, 4, 256, 10], seed),
  'sparse-bp': learner('bp', [784, 1000, 10], seed, 0.25),
  'sparse-fa': learner('fa', [784, 1000, 10], seed, 0.25),
};
const only = a.only ? a.only.split(',') : Object.keys(runs);
for (const k of only) if (!(k in runs)) throw new Error(`--only: unknown run ${k} (known: ${Object.keys(runs).join(', ')})`);
const train = fromMnist(loadMnist('train'));
const test = fromMnist(loadMnist('test'));
const results = only.map((k) => ({ ...runLearner(runs[k], train, test, epochs, 1, `[${k}] `), name: k }));
console.log(table(results));
mkdirSync('results/learning', { recursive: true });
const file = `results/learning/mnist-full${a.only ? '-' + only.join('+') : ''}.json`;
writeFileSync(file, JSON.stringify({ seed, epochs, results }, null, 2) + '\n');
console.log(`wrote ${file}`);
