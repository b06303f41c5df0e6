/**
 * What claim 5's experiment measures on a stack (stack.ts), rate-coded:
 *
 *   layerCosines   per encoder l, the cosine between the two-pass update e_l h_{l-1}^T and backprop's
 *                  delta_l h_{l-1}^T (weights and bias together): per example (median over examples) and for the
 *                  updates summed over the examples (the batch update);
 *   finetune       training on labelled examples with one of the signals, from the same stack: `backprop`,
 *                  `two-pass`, or `frozen` (the top encoder alone learns, by its delta rule); held-out accuracy after
 *                  each epoch. Examples in a fixed order; optionally (`decoder_eps` > 0) the decoders keep learning
 *                  to reconstruct (delta rule, pretrain.ts) so that they follow the changing encoders.
 */
import { sigmoid } from '../mlp.js';
import { cosine, median } from '../../math/vector-stats.js';
import type { Example } from './data.js';
import { topTarget } from './pretrain.js';
import { applySignals, backpropSignals, bottomUp, cloneLayers, encoderUpdate, predict, twoPassSignals, type BottomUp, type DecoderMode, type StackLayer } from './stack.js';

export interface LayerCosine {
  /** Encoder index l (1 = input -> first hidden layer). */
  layer: number;
  median: number;
  batch: number;
  per_example: number[];
}

export function layerCosines(layers: StackLayer[], examples: Example[], nLabel: number, beta: number, mode: DecoderMode): LayerCosine[] {
  const L = layers.length;
  const sums = Array.from({ length: L + 1 }, (_, l) => (l === 0 ? null : { tp: new Float64Array(0), bp: new Float64Array(0) }));
  const per: number[][] = Array.from({ length: L + 1 }, () => []);
  for (const ex of examples) {
    const bu = bottomUp(layers, ex.x);
    const e = twoPassSignals(layers, bu, ex.label, nLabel, beta, mode);
    const d = backpropSignals(layers, bu, ex.label, nLabel);
    for (let l = 1; l <= L; l++) {
      const u = encoderUpdate(bu, e, l);
      const v = encoderUpdate(bu, d, l);
      per[l].push(cosine(u, v));
      const s = sums[l]!;
      if (s.tp.length === 0) [s.tp, s.bp] = [new Float64Array(u.length), new Float64Array(v.length)];
      for (let k = 0; k < u.length; k++) {
        s.tp[k] += u[k];
        s.bp[k] += v[k];
      }
    }
  }
  return Array.from({ length: L }, (_, k) => ({ layer: k + 1, median: median(per[k + 1]), batch: cosine(sums[k + 1]!.tp, sums[k + 1]!.bp), per_example: per[k + 1] }));
}

export type Method = 'backprop' | 'two-pass' | 'frozen';

export interface FinetuneOptions {
  method: Method;
  eps: number;
  epochs: number;
  beta: number;
  nLabel: number;
  nPose: number;
  withPose: boolean;
  decoder_eps: number;
}

export function accuracy(layers: StackLayer[], examples: Example[], nLabel: number): number {
  let ok = 0;
  for (const ex of examples) if (predict(layers, ex.x, nLabel) === ex.label) ok++;
  return ok / examples.length;
}

/** One delta-rule step of every decoder toward reconstructing the layer below (the top's from the true target). */
function decoderStep(layers: StackLayer[], bu: BottomUp, top: Float64Array, eps: number): void {
  for (let l = 1; l <= layers.length; l++) {
    const dec = layers[l - 1];
    const above = l === layers.length ? top : bu.h[l];
    const below = bu.h[l - 1];
    for (let i = 0; i < dec.nIn; i++) {
      let a = dec.c[i];
      for (let j = 0; j < dec.nOut; j++) a += dec.D[i * dec.nOut + j] * above[j];
      const d = eps * (below[i] - sigmoid(a));
      dec.c[i] += d;
      for (let j = 0; j < dec.nOut; j++) dec.D[i * dec.nOut + j] += d * above[j];
    }
  }
}

/** Trains a copy of `start`; returns held-out accuracy before training and after each epoch, and the layers. */
export function finetune(start: StackLayer[], train: Example[], test: Example[], o: FinetuneOptions): { accuracy: number[]; layers: StackLayer[] } {
  const layers = cloneLayers(start);
  const L = layers.length;
  const acc = [accuracy(layers, test, o.nLabel)];
  for (let ep = 0; ep < o.epochs; ep++) {
    for (const ex of train) {
      const bu = bottomUp(layers, ex.x);
      const s = o.method === 'two-pass' ? twoPassSignals(layers, bu, ex.label, o.nLabel, o.beta, 'learned') : backpropSignals(layers, bu, ex.label, o.nLabel);
      applySignals(layers, bu, s, o.eps, o.method === 'frozen' ? L : 1);
      if (o.decoder_eps > 0) decoderStep(layers, bu, topTarget(ex, o.nLabel, o.nPose, o.withPose), o.decoder_eps);
    }
    acc.push(accuracy(layers, test, o.nLabel));
  }
  return { accuracy: acc, layers };
}
