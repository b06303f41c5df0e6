/**
 * One example's weight updates under backprop or feedback alignment (Lillicrap, Cownden, Tweed & Akerman 2016).
 *
 * Forward (training): a_{l+1} = W_l^T h~_l + b_l, h_{l+1} = f(a_{l+1}), h~_{l+1} = noise(h_{l+1}) (hidden-noise.ts).
 * Output error: delta_L = dLoss/da_L (loss.ts). Backward, for l = L-1 .. 1:
 *
 *     backprop:            delta_l = (W_l delta_{l+1}) * f'(a_l) * gate_l
 *     feedback alignment:  delta_l = (B_l delta_{l+1}) * f'(a_l) * gate_l      (B_l fixed and random)
 *     frozen:              no delta below the output layer; only W_{L-1}, b_{L-1} learn
 *
 * and the gradient estimates gW_l += h~_l delta_{l+1}^T, gb_l += delta_{l+1} (for l = 0 with centred inputs,
 * gW_0 gets (x - mu) delta^T: see finalize). With B_l = W_l feedback alignment is backprop exactly. Gradients are
 * summed over a mini-batch in `Grads`, then `applyUpdate` takes the step W -= lr * gW / count on existing links.
 */
import type { Rng } from '../kernel/rng.js';
import { Activity, type Mlp, layerInput, hiddenActivate, hiddenSlope } from './mlp.js';
import { outputActivate, outputDelta } from './loss.js';
import { applyNoise, type HiddenNoise } from './hidden-noise.js';

/** How the error reaches the hidden layers: backprop, feedback alignment, or not at all ("frozen": only the last
 * layer learns, on fixed random features, the ablation that asks whether hidden learning matters). */
export type FeedbackRule = 'bp' | 'fa' | 'frozen';

export class Grads {
  readonly gW: Float64Array[];
  readonly gb: Float64Array[];
  /** Examples summed since the last zero(). */
  count = 0;
  constructor(net: Mlp) {
    this.gW = net.W.map((w) => new Float64Array(w.length));
    this.gb = net.b.map((b) => new Float64Array(b.length));
  }
  zero(): void {
    for (const g of this.gW) g.fill(0);
    for (const g of this.gb) g.fill(0);
    this.count = 0;
  }
}

/** Training-pass buffers: clean activity (a, h), what each layer sent (hn), backward gates and deltas. */
export class TrainScratch extends Activity {
  readonly hn: Float64Array[];
  readonly gate: Float64Array[];
  readonly delta: Float64Array[];
  constructor(sizes: number[]) {
    super(sizes);
    this.hn = sizes.map((n) => new Float64Array(n));
    this.gate = sizes.map((n) => new Float64Array(n));
    this.delta = sizes.map((n) => new Float64Array(n));
  }
}

/**
 * Forward and backward pass for one example (input x, target vector t); adds to g and returns the loss.
 * With `directLr` > 0 (plain SGD, one example per step, uncentred inputs) the step W -= directLr * gW is taken
 * in place instead, each layer's W after the delta below it was computed from it, and g is left untouched.
 */
export function accumulate(net: Mlp, x: ArrayLike<number>, t: ArrayLike<number>, rule: FeedbackRule, noise: HiddenNoise, rng: Rng, g: Grads, s: TrainScratch, directLr = 0): number {
  const direct = directLr > 0;
  if (direct && net.offset !== null) throw new Error('direct SGD steps need uncentred inputs (use mini-batches with input_offset)');
  const L = net.L;
  const { sizes } = net;
  for (let i = 0; i < sizes[0]; i++) s.hn[0][i] = s.h[0][i] = x[i];
  for (let l = 0; l < L; l++) {
    layerInput(net, l, s.hn[l], s.a[l + 1]);
    if (l + 1 < L) {
      hiddenActivate(net.hidden, s.a[l + 1], s.h[l + 1]);
      applyNoise(noise, s.h[l + 1], s.hn[l + 1], s.gate[l + 1], rng);
    } else outputActivate(net.output, s.a[L], s.h[L]);
  }
  const loss = outputDelta(net.output, s.h[L], t, s.delta[L]);
  for (let l = L - 1; l >= 0; l--) {
    if (rule === 'frozen' && l < L - 1) break;
    const n = sizes[l + 1];
    const d = s.delta[l + 1];
    if (l > 0 && rule !== 'frozen') {
      const M = rule === 'bp' ? net.W[l] : net.B[l];
      const below = s.delta[l];
      const h = s.h[l];
      const gate = s.gate[l];
      for (let i = 0, m = sizes[l]; i < m; i++) {
        let sum = 0;
        for (let j = 0, o = i * n; j < n; j++) sum += M[o + j] * d[j];
        below[i] = sum * hiddenSlope(net.hidden, h[i]) * gate[i];
      }
    }
    if (direct) addOuter(net.W[l], net.b[l], net.maskW[l], s.hn[l], d, sizes[l], n, -directLr);
    else addOuter(g.gW[l], g.gb[l], null, s.hn[l], d, sizes[l], n, 1);
  }
  if (!direct) g.count++;
  return loss;
}

/** W += f * h d^T and b += f * d, on the links in mask (all when null); zero entries of h are skipped. */
function addOuter(W: Float64Array, b: Float64Array, mask: Uint8Array | null, h: Float64Array, d: Float64Array, m: number, n: number, f: number): void {
  for (let j = 0; j < n; j++) b[j] += f * d[j];
  for (let i = 0; i < m; i++) {
    const v = f * h[i];
    if (v === 0) continue;
    if (mask === null) for (let j = 0, o = i * n; j < n; j++) W[o + j] += v * d[j];
    else for (let j = 0, o = i * n; j < n; j++) if (mask[o + j]) W[o + j] += v * d[j];
  }
}

/** Completes gW_0 for centred inputs: sum x delta^T - mu (sum delta)^T = sum (x - mu) delta^T. */
export function finalize(net: Mlp, g: Grads): void {
  const mu = net.offset;
  if (mu === null) return;
  const n = net.sizes[1];
  const gW = g.gW[0];
  const gb = g.gb[0];
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i];
    if (m === 0) continue;
    for (let j = 0, o = i * n; j < n; j++) gW[o + j] -= m * gb[j];
  }
}

/** W -= lr * gW / count and b -= lr * gb / count (finalized gradients), on existing links only. */
export function applyUpdate(net: Mlp, g: Grads, lr: number): void {
  if (g.count === 0) return;
  const step = lr / g.count;
  for (let l = 0; l < net.L; l++) {
    const W = net.W[l];
    const gW = g.gW[l];
    const mask = net.maskW[l];
    if (mask === null) for (let k = 0; k < W.length; k++) W[k] -= step * gW[k];
    else for (let k = 0; k < W.length; k++) if (mask[k]) W[k] -= step * gW[k];
    const b = net.b[l];
    const gb = g.gb[l];
    for (let j = 0; j < b.length; j++) b[j] -= step * gb[j];
  }
  net.refreshOffset();
}
