/**
 * Shared by the learning scripts: the named rate-coded learners, the set-up they share, and a run loop that
 * prints and returns per-epoch test error, final train and test error, and the top-layer alignment angle.
 *
 * Set-up (science.md claim 6; found by the sweeps reported in docs/notebooks/learning.md): sigmoid hidden
 * units, sigmoid outputs with squared error (Lillicrap et al. 2016), inputs = pixels / 255 (not centred: centring
 * made no difference in the sweep and would densify the sparse MNIST inputs), W uniform +-1/sqrt(fan_in),
 * B uniform +-8/sqrt(fan_in) (B eight times the scale of the W it replaces: with sigmoid slopes <= 1/4 a B of W's
 * scale starves the hidden layer of error signal, and FA lagged backprop; at 8x it kept pace), one example per
 * step, lr 0.1, decaying by 0.85 per epoch.
 */
import { createMlp, type MlpSpec } from '../../src/learning/mlp.js';
import { Trainer, errorRate, type TrainOptions } from '../../src/learning/trainer.js';
import type { Dataset } from '../../src/learning/dataset.js';
import { weightAngle } from '../../src/learning/alignment.js';

export interface Learner {
  name: string;
  spec: MlpSpec;
  train: TrainOptions;
}

export const SETUP = { init_scale: 1, feedback_scale: 8, lr: 0.1, lr_decay: 0.85, poisson_max_count: 5, p_drop: 0.5 };

export function learner(name: string, sizes: number[], seed: number, keep = 1, lrDecay = SETUP.lr_decay): Learner {
  const [rule, noise] = name.split('-') as ['bp' | 'fa', string | undefined];
  if (rule !== 'bp' && rule !== 'fa') throw new Error(`learner must start with bp or fa, got ${name}`);
  return {
    name,
    spec: { sizes, init_scale: SETUP.init_scale, feedback_scale: SETUP.feedback_scale, keep },
    train: {
      rule,
      lr: SETUP.lr,
      lr_decay: lrDecay,
      seed,
      noise:
        noise === 'dropout' ? { kind: 'dropout', p_drop: SETUP.p_drop }
        : noise === 'poisson' ? { kind: 'poisson', max_count: SETUP.poisson_max_count }
        : { kind: 'none' },
    },
  };
}

export interface LearnerResult {
  name: string;
  sizes: number[];
  keep: number;
  epochs: number;
  test_error_by_epoch: { epoch: number; test_error: number; top_weight_angle_deg: number }[];
  train_error: number;
  test_error: number;
  seconds: number;
}

export function runLearner(l: Learner, train: Dataset, test: Dataset, epochs: number, evalEvery = 1, tag = ''): LearnerResult {
  const t0 = performance.now();
  const net = createMlp(l.spec, l.train.seed);
  const tr = new Trainer(net, train, l.train);
  const curve: LearnerResult['test_error_by_epoch'] = [];
  for (let e = 1; e <= epochs; e++) {
    const loss = tr.epoch();
    if (e % evalEvery === 0 || e === epochs) {
      const te = errorRate(net, test);
      const angle = weightAngle(net);
      curve.push({ epoch: e, test_error: te, top_weight_angle_deg: angle });
      console.log(`${tag}${l.name} epoch ${e}: loss ${loss.toFixed(4)}, test error ${(100 * te).toFixed(2)}%, angle(W_top, B_top) ${angle.toFixed(1)} deg, ${((performance.now() - t0) / 1e3).toFixed(0)} s`);
    }
  }
  const trainError = errorRate(net, train);
  const testError = curve[curve.length - 1].test_error;
  console.log(`${tag}${l.name} final: train error ${(100 * trainError).toFixed(2)}%, test error ${(100 * testError).toFixed(2)}%`);
  return { name: l.name, sizes: l.spec.sizes, keep: l.spec.keep ?? 1, epochs, test_error_by_epoch: curve, train_error: trainError, test_error: testError, seconds: (performance.now() - t0) / 1e3 };
}

/** `--key value` pairs from argv. */
export function args(): Record<string, string> {
  const a = process.argv.slice(2);
  const out: Record<string, string> = {};
  for (let k = 0; k < a.length; k += 2) out[a[k].replace(/^--/, '')] = a[k + 1];
  return out;
}

export function table(rows: LearnerResult[]): string {
  const lines = ['| learner | sizes | links kept | epochs | train error | test error | angle(W_top, B_top) |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const last = r.test_error_by_epoch[r.test_error_by_epoch.length - 1];
    lines.push(`| ${r.name} | ${r.sizes.join('-')} | ${r.keep} | ${r.epochs} | ${(100 * r.train_error).toFixed(2)}% | ${(100 * r.test_error).toFixed(2)}% | ${last.top_weight_angle_deg.toFixed(1)} deg |`);
  }
  return lines.join('\n');
}
