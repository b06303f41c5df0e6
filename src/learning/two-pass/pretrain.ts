/**
 * Training the stack of autoencoders bottom-up (claim 5's precondition: top-down weights that reconstruct well).
 *
 * Lower layers (64 -> 32, 32 -> 16): recirculation (src/learning/recirculation/rate.ts, Hinton & McClelland 1988),
 * each on the codes of the layer below, `sweeps` passes over the training inputs in order; encoder l = W_hv, decoder
 * = W_vh, with their biases. The top (16 -> label [+ pose]): the encoder by the delta rule for logistic units with
 * cross-entropy, dW = eps (t - y) h^T, toward the one-hot label (and one-hot pose); the decoder by the delta rule on
 * the reconstruction of the layer below from the true top t: dD = eps (h - f(D t + c)) t^T, dc = eps (h - f(D t + c)).
 * All activities unitless in (0, 1); eps per example. Randomness: initial weights from `rng` only.
 */
import type { Rng } from '../../kernel/rng.js';
import { sigmoid } from '../mlp.js';
import { Recirculation } from '../recirculation/rate.js';
import type { Example } from './data.js';
import { bottomUp, layer, type StackLayer } from './stack.js';

export interface PretrainOptions {
  /** Hidden sizes below the top, e.g. [32, 16]. */
  hidden: number[];
  recirculation: { eps: number; lambda: number; init: number; sweeps: number };
  top: { eps: number; sweeps: number };
}

/** The one-hot top target: label units, then pose units when `withPose`. */
export function topTarget(ex: Example, nLabel: number, nPose: number, withPose: boolean): Float64Array {
  const t = new Float64Array(nLabel + (withPose ? nPose : 0));
  t[ex.label] = 1;
  if (withPose) t[nLabel + ex.pose] = 1;
  return t;
}

/** Lower layers by recirculation; returns the encoders/decoders 1..L-1. */
export function pretrainLower(train: Example[], o: PretrainOptions, rng: Rng): StackLayer[] {
  const layers: StackLayer[] = [];
  let codes = train.map((e) => e.x);
  let nIn = codes[0].length;
  for (const nOut of o.hidden) {
    const net = new Recirculation(nIn, nOut, { eps: o.recirculation.eps, lambda: o.recirculation.lambda, init: o.recirculation.init }, rng);
    for (let s = 0; s < o.recirculation.sweeps; s++) for (const v of codes) net.learn(v);
    const L = layer(nIn, nOut);
    for (let i = 0; i < nIn; i++) {
      for (let j = 0; j < nOut; j++) {
        L.W[j * nIn + i] = net.Whv[i * nOut + j];
        L.D[i * nOut + j] = net.Wvh[j * nIn + i];
      }
    }
    L.b.set(net.bh);
    L.c.set(net.bv);
    layers.push(L);
    codes = codes.map((v) => bottomUp([L], v).h[1]);
    nIn = nOut;
  }
  return layers;
}

/** The top layer on the lower stack's codes: encoder toward the target, decoder reconstructing from it. */
export function trainTop(lower: StackLayer[], train: Example[], nLabel: number, nPose: number, withPose: boolean, o: PretrainOptions, rng: Rng): StackLayer {
  const nIn = lower[lower.length - 1].nOut;
  const nOut = nLabel + (withPose ? nPose : 0);
  const L = layer(nIn, nOut);
  for (let k = 0; k < L.W.length; k++) L.W[k] = (2 * rng.uniform() - 1) * o.recirculation.init;
  const codes = train.map((e) => bottomUp(lower, e.x).h[lower.length]);
  const eps = o.top.eps;
  for (let s = 0; s < o.top.sweeps; s++) {
    train.forEach((ex, n) => {
      const h = codes[n];
      const t = topTarget(ex, nLabel, nPose, withPose);
      for (let j = 0; j < nOut; j++) {
        let a = L.b[j];
        for (let i = 0; i < nIn; i++) a += L.W[j * nIn + i] * h[i];
        const d = eps * (t[j] - sigmoid(a));
        L.b[j] += d;
        for (let i = 0; i < nIn; i++) L.W[j * nIn + i] += d * h[i];
      }
      for (let i = 0; i < nIn; i++) {
        let a = L.c[i];
        for (let j = 0; j < nOut; j++) a += L.D[i * nOut + j] * t[j];
        const d = eps * (h[i] - sigmoid(a));
        L.c[i] += d;
        for (let j = 0; j < nOut; j++) L.D[i * nOut + j] += d * t[j];
      }
    });
  }
  return L;
}
