/**
 * The spiking two-pass measurements (two-pass-spiking.ts) against the rate stack:
 *
 *   spikingCosines   per example, the mean STDP change of encoders 1 .. L-1 over `trials` paired trials (each on
 *                    its own streams `<seed>/spiking/<n>/<k>`), divided by SpikingTwoPass.scale(), against the rate
 *                    twin's two-pass update beta e_l h_{l-1}^T for the same weights, example and beta: the cosine per
 *                    layer, median over examples;
 *   spikingFinetune  training as compare.ts's `two-pass`, with the lower encoders' updates taken from one paired
 *                    trial per example (eps / beta times the scaled STDP change) and the top's by its delta rule;
 *                    held-out accuracy (rate bottom-up pass) after each epoch.
 */
import type { Example } from '../learning/two-pass/data.js';
import { accuracy, cosine, median } from '../learning/two-pass/compare.js';
import { applySignals, bottomUp, cloneLayers, encoderUpdate, topError, twoPassSignals, type StackLayer } from '../learning/two-pass/stack.js';
import { SpikingTwoPass, type SpikingTwoPassOptions } from './two-pass-spiking.js';

function sizesOf(layers: StackLayer[]): number[] {
  return [layers[0].nIn, ...layers.map((l) => l.nOut)];
}

function moved(y: Float64Array, label: number, nLabel: number, beta: number): Float64Array {
  const e = topError(y, label, nLabel);
  return y.map((v, k) => v + beta * e[k]);
}

export interface SpikingCosine {
  layer: number;
  median: number;
  per_example: number[];
}

export function spikingCosines(layers: StackLayer[], examples: Example[], nLabel: number, beta: number, trials: number, o: SpikingTwoPassOptions, seed: number, onTrial?: () => void): SpikingCosine[] {
  const sp = new SpikingTwoPass(sizesOf(layers), o);
  sp.setDecoders(layers);
  const lower = layers.length - 1;
  const per: number[][] = Array.from({ length: lower }, () => []);
  examples.forEach((ex, n) => {
    const bu = bottomUp(layers, ex.x);
    const y = bu.h[layers.length];
    const sums = Array.from({ length: lower }, (_, k) => new Float64Array(sizesOf(layers)[k + 1] * (sizesOf(layers)[k] + 1)));
    for (let k = 0; k < trials; k++) {
      sp.retag();
      sp.pairedTrial(y, moved(y, ex.label, nLabel, beta), bu.h.slice(0, lower), seed, `spiking/${n}/${k}`);
      for (let l = 1; l <= lower; l++) {
        const tg = sp.tags(l);
        const s = sums[l - 1];
        for (let i = 0; i < tg.length; i++) s[i] += tg[i];
      }
      onTrial?.();
    }
    const e = twoPassSignals(layers, bu, ex.label, nLabel, beta, 'learned');
    for (let l = 1; l <= lower; l++) per[l - 1].push(cosine(sums[l - 1], encoderUpdate(bu, e, l)));
  });
  return per.map((p, k) => ({ layer: k + 1, median: median(p), per_example: p }));
}

export function spikingFinetune(start: StackLayer[], train: Example[], test: Example[], o: { eps: number; epochs: number; beta: number; nLabel: number }, so: SpikingTwoPassOptions, seed: number, onExample?: () => void): number[] {
  const layers = cloneLayers(start);
  const L = layers.length;
  const sp = new SpikingTwoPass(sizesOf(layers), so);
  sp.setDecoders(layers); // the decoders do not learn here
  const acc = [accuracy(layers, test, o.nLabel)];
  const k = o.eps / o.beta / sp.scale();
  for (let ep = 0; ep < o.epochs; ep++) {
    train.forEach((ex, n) => {
      const bu = bottomUp(layers, ex.x);
      const y = bu.h[L];
      sp.retag();
      sp.pairedTrial(y, moved(y, ex.label, o.nLabel, o.beta), bu.h.slice(0, L - 1), seed, `finetune/${ep}/${n}`);
      for (let l = 1; l < L; l++) {
        const enc = layers[l - 1];
        const tg = sp.tags(l);
        for (let s = 0; s < enc.W.length; s++) enc.W[s] += k * tg[s];
        for (let j = 0; j < enc.nOut; j++) enc.b[j] += k * tg[enc.W.length + j];
      }
      const s = new Array<Float64Array>(L + 1);
      s[L] = topError(y, ex.label, o.nLabel);
      applySignals(layers, bu, s, o.eps, L);
      onExample?.();
    });
    acc.push(accuracy(layers, test, o.nLabel));
  }
  return acc;
}
