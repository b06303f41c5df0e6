/**
 * The spiking two-pass measurements (two-pass-spiking.ts) against the rate stack:
 *
 *   spikingCosines   per example, the mean STDP change of encoders 1 .. L-1 over `trials` paired trials (each on
 *                    its own streams `<seed>/spiking/<n>/<k>`), divided by SpikingTwoPass.scale(), against the rate
 *                    twin's two-pass update beta e_l h_{l-1}^T for the same weights, example and beta: the cosine per
 *                    layer, median over examples;
 *   spikingFinetune  training as compare.ts's `two-pass`, with the lower encoders' updates taken from `trials` paired
 *                    trials per example (eps / beta times their mean scaled STDP change) and the top's by its delta rule;
 *                    held-out accuracy (rate bottom-up pass) after each epoch.
 */
import type { Example } from '../learning/two-pass/data.js';
import { accuracy } from '../learning/two-pass/compare.js';
import { cosine, median } from '../math/vector-stats.js';
import { applySignals, bottomUp, cloneLayers, encoderUpdate, topDown, topError, twoPassSignals, type StackLayer } from '../learning/two-pass/stack.js';
import { SpikingTwoPass, type SpikingTwoPassOptions } from './two-pass-spiking.js';

function sizesOf(layers: StackLayer[]): number[] {
  return [layers[0].nIn, ...layers.map((l) => l.nOut)];
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function moved(y: Float64Array, label: number, nLabel: number, beta: number): Float64Array {
  const e = topError(y, label, nLabel);
  return y.map((v, k) => v + beta * e[k]);
}

export interface SpikingCosine {
  layer: number;
  median: number;
  per_example: number[];
  /** Median over examples of the spiking change's projection on the rate update, relative to the rate update
   * (<s, u> / <u, u>): 1 when the LIF groups' slope matches the logistic's times rate_max_hz. */
  gain: number;
  /** Mean rate of the layer's neurons in pass 1 over rate_max_hz, and the rate stack's mean r_l (both unitless). */
  mean_rate: number;
  mean_rate_twin: number;
}

export function spikingCosines(layers: StackLayer[], examples: Example[], nLabel: number, beta: number, trials: number, o: SpikingTwoPassOptions, seed: number, onTrial?: () => void): SpikingCosine[] {
  const sp = new SpikingTwoPass(sizesOf(layers), o);
  sp.setDecoders(layers);
  const lower = layers.length - 1;
  const per: number[][] = Array.from({ length: lower }, () => []);
  const gains: number[][] = Array.from({ length: lower }, () => []);
  const rates = new Float64Array(lower);
  const twin = new Float64Array(lower);
  const sizes = sizesOf(layers);
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
        for (let i = 0; i < tg.length; i++) s[i] += tg[i] / trials / sp.scale();
        rates[l - 1] += sp.counts[0][l - 1].reduce((a, c) => a + c, 0) / (sp.counts[0][l - 1].length * (o.t_pass_ms / 1000) * o.rate_max_hz * trials * examples.length);
      }
      onTrial?.();
    }
    const e = twoPassSignals(layers, bu, ex.label, nLabel, beta, 'learned');
    const r = topDown(layers, y, 'learned');
    for (let l = 1; l <= lower; l++) {
      const u = encoderUpdate(bu, e, l).map((v) => v * beta);
      per[l - 1].push(cosine(sums[l - 1], u));
      gains[l - 1].push(dot(sums[l - 1], u) / dot(u, u));
      twin[l - 1] += r[l].reduce((a, c) => a + c, 0) / (sizes[l] * examples.length);
    }
  });
  return per.map((p, k) => ({ layer: k + 1, median: median(p), per_example: p, gain: median(gains[k]), mean_rate: rates[k], mean_rate_twin: twin[k] }));
}

/** Held-out accuracy before training and after each epoch, and the trained layers (a copy of `start`). */
export function spikingFinetune(start: StackLayer[], train: Example[], test: Example[], o: { eps: number; epochs: number; beta: number; nLabel: number; trials?: number }, so: SpikingTwoPassOptions, seed: number, onExample?: () => void): { accuracy: number[]; layers: StackLayer[] } {
  const layers = cloneLayers(start);
  const L = layers.length;
  const sp = new SpikingTwoPass(sizesOf(layers), so);
  sp.setDecoders(layers); // the decoders do not learn here
  const acc = [accuracy(layers, test, o.nLabel)];
  // Several paired trials per example average their STDP changes (the encoders' synapses deliver nothing during the
  // passes, so a trial's update cannot change the next trial's spikes); the first trial's stream is the one-trial run's.
  const trials = o.trials ?? 1;
  const k = o.eps / o.beta / sp.scale() / trials;
  for (let ep = 0; ep < o.epochs; ep++) {
    train.forEach((ex, n) => {
      const bu = bottomUp(layers, ex.x);
      const y = bu.h[L];
      for (let t = 0; t < trials; t++) {
        sp.retag();
        sp.pairedTrial(y, moved(y, ex.label, o.nLabel, o.beta), bu.h.slice(0, L - 1), seed, t === 0 ? `finetune/${ep}/${n}` : `finetune/${ep}/${n}/${t}`);
        for (let l = 1; l < L; l++) {
          const enc = layers[l - 1];
          const tg = sp.tags(l);
          for (let s = 0; s < enc.W.length; s++) enc.W[s] += k * tg[s];
          for (let j = 0; j < enc.nOut; j++) enc.b[j] += k * tg[enc.W.length + j];
        }
      }
      const s = new Array<Float64Array>(L + 1);
      s[L] = topError(y, ex.label, o.nLabel);
      applySignals(layers, bu, s, o.eps, L);
      onExample?.();
    });
    acc.push(accuracy(layers, test, o.nLabel));
  }
  return { accuracy: acc, layers };
}
