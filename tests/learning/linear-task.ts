/** Lillicrap et al. 2016's linear task: a 30-20-10 linear network learns y = T x for a random T, x ~ N(0, I). */
import { createRng } from '../../src/kernel/rng.js';
import { createMlp, type Mlp } from '../../src/learning/mlp.js';
import { Grads, TrainScratch, accumulate, type FeedbackRule } from '../../src/learning/gradients.js';
import { NO_NOISE } from '../../src/learning/hidden-noise.js';
import { hiddenSignalAngle } from '../../src/learning/alignment.js';

export interface LinearRun {
  net: Mlp;
  loss: number[];
  angle: number[];
}

export function linearTask(rule: FeedbackRule, steps: number, lr: number, seed = 1): LinearRun {
  const net = createMlp({ sizes: [30, 20, 10], hidden: 'linear', output: 'linear-mse', init_scale: 0.1, feedback_scale: 1 }, seed);
  const rng = createRng(seed, 'linear-task');
  const T = Float64Array.from({ length: 300 }, () => 2 * rng.uniform() - 1);
  const x = new Float64Array(30);
  const y = new Float64Array(10);
  const s = new TrainScratch(net.sizes);
  const g = new Grads(net);
  const loss: number[] = [];
  const angle: number[] = [];
  for (let k = 0; k < steps; k++) {
    for (let i = 0; i < 30; i++) x[i] = rng.normal();
    for (let o = 0; o < 10; o++) {
      let v = 0;
      for (let i = 0; i < 30; i++) v += T[o * 30 + i] * x[i];
      y[o] = v;
    }
    // The angle is measured on the error of this example, before the step it causes.
    loss.push(accumulate(net, x, y, rule, NO_NOISE, rng, g, s, lr));
    angle.push(hiddenSignalAngle(net, s.delta[2]));
  }
  return { net, loss, angle };
}

export const mean = (a: number[]): number => a.reduce((p, q) => p + q, 0) / a.length;
