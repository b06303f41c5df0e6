/**
 * Mini-batch stochastic gradient descent over a data set, one epoch at a time, for any feedback rule and hidden
 * noise. Deterministic for a seed: each epoch's order is a Fisher-Yates shuffle from the stream
 * `train/shuffle/<epoch>`, and noise draws come from the stream `train/noise`, so changing the noise never changes
 * the order of examples. The learning rate may decay geometrically per epoch (lr_k = lr * lr_decay^k).
 */
import { createRng, type Rng } from '../kernel/rng.js';
import type { Mlp } from './mlp.js';
import { Activity, forward, argmax } from './mlp.js';
import { Grads, TrainScratch, accumulate, finalize, applyUpdate, type FeedbackRule } from './gradients.js';
import { checkNoise, NO_NOISE, type HiddenNoise } from './hidden-noise.js';
import type { Dataset } from './dataset.js';

export interface TrainOptions {
  rule: FeedbackRule;
  noise?: HiddenNoise;
  /** Step size on the batch-mean gradient. */
  lr: number;
  lr_decay?: number;
  batch?: number;
  seed: number;
}

export class Trainer {
  readonly grads: Grads;
  readonly scratch: TrainScratch;
  readonly noise: HiddenNoise;
  private readonly noiseRng: Rng;
  private readonly target: Float64Array;
  epochsDone = 0;

  constructor(readonly net: Mlp, readonly data: Dataset, readonly opts: TrainOptions) {
    this.noise = opts.noise ?? NO_NOISE;
    checkNoise(this.noise);
    if (data.dim !== net.sizes[0] || data.classes !== net.sizes[net.L]) {
      throw new Error(`data (${data.dim} inputs, ${data.classes} classes) does not fit the MLP [${net.sizes}]`);
    }
    this.grads = new Grads(net);
    this.scratch = new TrainScratch(net.sizes);
    this.noiseRng = createRng(opts.seed, 'train/noise');
    this.target = new Float64Array(data.classes);
  }

  get lr(): number {
    return this.opts.lr * (this.opts.lr_decay ?? 1) ** this.epochsDone;
  }

  /** One pass over the data; returns the mean training loss (under noise, before each step). */
  epoch(): number {
    const { net, data, grads, scratch, target, noise, noiseRng } = this;
    const batch = this.opts.batch ?? 1;
    const lr = this.lr;
    const order = shuffled(data.count, createRng(this.opts.seed, `train/shuffle/${this.epochsDone}`));
    // One example per step on uncentred inputs: step in place (no gradient buffer, zero inputs cost nothing).
    const direct = batch === 1 && net.offset === null ? lr : 0;
    let loss = 0;
    grads.zero();
    for (let k = 0; k < order.length; k++) {
      const n = order[k];
      target.fill(0);
      target[data.y[n]] = 1;
      loss += accumulate(net, data.x.subarray(n * data.dim, (n + 1) * data.dim), target, this.opts.rule, noise, noiseRng, grads, scratch, direct);
      if (!direct && (grads.count === batch || k === order.length - 1)) {
        finalize(net, grads);
        applyUpdate(net, grads, lr);
        grads.zero();
      }
    }
    this.epochsDone++;
    return loss / data.count;
  }
}

export function shuffled(n: number, rng: Rng): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Fraction of examples whose largest output is not the label (clean forward pass). */
export function errorRate(net: Mlp, data: Dataset): number {
  const s = new Activity(net.sizes);
  let wrong = 0;
  for (let n = 0; n < data.count; n++) {
    if (argmax(forward(net, data.x.subarray(n * data.dim, (n + 1) * data.dim), s)) !== data.y[n]) wrong++;
  }
  return wrong / data.count;
}
