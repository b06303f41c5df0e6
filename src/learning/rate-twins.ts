/**
 * Rate-coded twins of a spiking digit learner: the same layer sizes, the same training digits in the same number,
 * trained by backprop ("bp") or feedback alignment ("fa"), and the hidden layer left frozen at its random
 * initialization with the best linear readout of it ("frozen-ridge", ridge.ts), all scored on the validation and
 * test digits. They put the spiking learner's accuracy beside what its architecture can do with exact gradients,
 * with random feedback, and without hidden learning at all.
 *
 * Set-up (the project's sweeps, scripts/learning/common.ts; Lillicrap et al. 2016): sigmoid hidden and output
 * units, squared error, inputs pixels / 255, W uniform +-1/sqrt(fan_in), B uniform +-8/sqrt(fan_in), one example
 * per step, learning rate 0.1 decaying by 0.85 per pass over the training digits.
 */
import { createMlp, forward, Activity, type MlpSpec } from './mlp.js';
import { fitRidge, ridgeAccuracy } from './ridge.js';
import { Trainer, errorRate, type TrainOptions } from './trainer.js';
import type { FeedbackRule } from './gradients.js';
import type { Dataset } from './dataset.js';

/** The trained twins. ("frozen", output layer alone by SGD, is left out: on the near-constant sigmoid features of an
 * untrained layer it stays near chance for thousands of steps (14% at 10,000 on 784-20-10), which says nothing about
 * the features; their ridge readout is the fair frozen reference.) */
export const RATE_TWIN_RULES: readonly FeedbackRule[] = ['bp', 'fa'];

export interface RateTwinResult {
  /** A training rule, or "frozen-ridge": the untrained hidden layer read out by ridge regression (ridge.ts). */
  rule: FeedbackRule | 'frozen-ridge';
  sizes: number[];
  train_examples: number;
  validation_accuracy: number;
  /** null when no test digits were given (tuning runs leave the test set alone). */
  test_accuracy: number | null;
}

export interface RateTwinData {
  /** The distinct training digits the spiking learner drew, and how many examples it saw in all. */
  train: Dataset;
  examples: number;
  validation: Dataset;
  test: Dataset;
}

/** Every twin's network: the set-up above (the frozen readout uses the same draw as the trained twins' start). */
const twinSpec = (sizes: number[]): MlpSpec => ({ sizes, init_scale: 1, feedback_scale: 8, hidden: 'sigmoid', output: 'sigmoid-mse' });

/** Ridge penalty per example for the frozen layer's readout (features are sigmoid outputs in (0, 1)). */
const RIDGE_LAMBDA = 1e-4;

/** Trains one twin per rule for `examples` steps (whole passes over `train`, the last one cut short) and scores it;
 * then the best linear readout (ridge) of the same network's untrained hidden layer, fitted on `train`. */
export function rateTwins(sizes: number[], data: RateTwinData, seed: number, rules: readonly FeedbackRule[] = RATE_TWIN_RULES): RateTwinResult[] {
  return [...rules.map((rule) => trainTwin(sizes, data, seed, rule)), frozenRidge(sizes, data, seed)];
}

function frozenRidge(sizes: number[], data: RateTwinData, seed: number): RateTwinResult {
  if (sizes.length !== 3) throw new Error(`the frozen-layer readout needs one hidden layer, got sizes [${sizes}]`);
  const net = createMlp(twinSpec(sizes), seed);
  const act = new Activity(sizes);
  const hidden = (d: Dataset) => (k: number, out: Float64Array) => {
    forward(net, d.x.subarray(k * d.dim, (k + 1) * d.dim), act);
    out.set(act.h[1]);
  };
  const r = fitRidge(data.train.count, sizes[1], sizes[2], hidden(data.train), (k) => data.train.y[k], RIDGE_LAMBDA);
  const score = (d: Dataset) => ridgeAccuracy(r, d.count, hidden(d), (k) => d.y[k]);
  return { rule: 'frozen-ridge', sizes, train_examples: data.train.count, validation_accuracy: score(data.validation), test_accuracy: data.test.count > 0 ? score(data.test) : null };
}

/**
 * One twin trained and scored. `feedbackSign` -1 negates the fixed feedback matrices before training: the rate
 * analogue of a spiking learner's "reversed" ablation (its hidden plasticity gain negated), which for feedback
 * alignment is learning with -B (scripts/learning/fa-reversed.ts).
 */
export function trainTwin(sizes: number[], data: RateTwinData, seed: number, rule: FeedbackRule, feedbackSign: 1 | -1 = 1): RateTwinResult {
  const net = createMlp(twinSpec(sizes), seed);
  if (feedbackSign < 0) for (const B of net.B) for (let k = 0; k < B.length; k++) B[k] = -B[k];
  const opts: TrainOptions = { rule, lr: 0.1, lr_decay: 0.85, seed };
  const passes = Math.floor(data.examples / data.train.count);
  const rest = data.examples - passes * data.train.count;
  const tr = new Trainer(net, data.train, opts);
  for (let e = 0; e < passes; e++) tr.epoch();
  if (rest > 0) new Trainer(net, { ...data.train, count: rest }, { ...opts, lr: tr.lr }).epoch();
  return {
    rule,
    sizes,
    train_examples: data.examples,
    validation_accuracy: 1 - errorRate(net, data.validation),
    test_accuracy: data.test.count > 0 ? 1 - errorRate(net, data.test) : null,
  };
}
