/**
 * A small multilayer perceptron for the rate-coded learners: explicit loops over Float64Arrays, no library in the
 * hot path.
 *
 * Layer l (0 <= l < L) maps sizes[l] inputs to sizes[l+1] units:
 *
 *     a_{l+1} = W_l^T h_l + b_l (- W_0^T mu for l = 0 when inputs are centred),   h_{l+1} = f(a_{l+1})
 *
 * with f the hidden activation (sigmoid 1/(1+e^-a), or identity) for hidden layers and the output non-linearity
 * (sigmoid, identity or softmax, see loss.ts) for the last. W_l is stored [pre][post]: W_l[i * sizes[l+1] + j] is
 * the weight from unit i of layer l to unit j of layer l+1, so a presynaptic row is contiguous and a zero input
 * (most MNIST pixels) is skipped.
 *
 * Input centring (`input_offset` mu) is done without densifying sparse inputs: W^T (x - mu) = W^T x - c with
 * c = W_0^T mu, recomputed whenever W_0 changes (refreshOffset). B_l (l >= 1) is the fixed feedback matrix that
 * feedback alignment uses in place of W_l to carry errors from layer l+1 down to layer l (same layout as W_l).
 *
 * Initialization: W_l and B_l uniform in +-scale / sqrt(sizes[l]) (fan-in of the forward connection; for B this
 * matches the size of W it replaces), biases 0. Masks (connectivity.ts) zero the links that do not exist.
 */
import { createRng, type Rng } from '../kernel/rng.js';
import { sparseMasks } from './connectivity.js';
import { type OutputKind, outputActivate } from './loss.js';

export type HiddenKind = 'sigmoid' | 'linear';

export interface MlpSpec {
  /** Layer sizes from input to output, e.g. [784, 1000, 10]. */
  sizes: number[];
  hidden?: HiddenKind;
  output?: OutputKind;
  /** Forward weights uniform in +-init_scale / sqrt(fan_in). */
  init_scale?: number;
  /** Feedback weights uniform in +-feedback_scale / sqrt(fan_in of the forward link they stand for). */
  feedback_scale?: number;
  /** Fraction of links kept (e.g. 0.25) in every layer, forward and feedback never on the same pair; 1 = dense. */
  keep?: number;
  /** Subtracted from every input (input centring), length sizes[0]. */
  input_offset?: Float64Array;
}

export class Mlp {
  readonly sizes: number[];
  readonly L: number;
  readonly hidden: HiddenKind;
  readonly output: OutputKind;
  readonly W: Float64Array[];
  readonly b: Float64Array[];
  /** Feedback matrices, B[0] unused (nothing below the input). */
  readonly B: Float64Array[];
  readonly maskW: (Uint8Array | null)[];
  readonly maskB: (Uint8Array | null)[];
  readonly offset: Float64Array | null;
  /** c = W_0^T mu (zero when inputs are not centred). */
  readonly c: Float64Array;

  constructor(spec: MlpSpec, rng: Rng) {
    const sizes = (this.sizes = spec.sizes.slice());
    this.L = sizes.length - 1;
    if (this.L < 1 || sizes.some((n) => !(Number.isInteger(n) && n > 0))) throw new Error(`MLP sizes must be >= 2 positive integers, got [${sizes}]`);
    this.hidden = spec.hidden ?? 'sigmoid';
    this.output = spec.output ?? 'sigmoid-mse';
    const s = spec.init_scale ?? 1;
    const sb = spec.feedback_scale ?? 1;
    const keep = spec.keep ?? 1;
    this.W = [];
    this.b = [];
    this.B = [];
    this.maskW = [];
    this.maskB = [];
    for (let l = 0; l < this.L; l++) {
      const n = sizes[l] * sizes[l + 1];
      const masks = keep < 1 ? sparseMasks(sizes[l], sizes[l + 1], keep, rng) : null;
      this.maskW.push(masks ? masks.forward : null);
      this.maskB.push(masks && l > 0 ? masks.feedback : null);
      this.W.push(uniform(n, s / Math.sqrt(sizes[l]), rng, this.maskW[l]));
      this.B.push(l > 0 ? uniform(n, sb / Math.sqrt(sizes[l]), rng, this.maskB[l]) : new Float64Array(0));
      this.b.push(new Float64Array(sizes[l + 1]));
    }
    if (spec.input_offset && spec.input_offset.length !== sizes[0]) throw new Error(`input_offset must have ${sizes[0]} entries, got ${spec.input_offset.length}`);
    this.offset = spec.input_offset ? Float64Array.from(spec.input_offset) : null;
    this.c = new Float64Array(sizes[1]);
    this.refreshOffset();
  }

  /** Recomputes c = W_0^T mu after W_0 changed. */
  refreshOffset(): void {
    const { offset, c } = this;
    if (offset === null) return;
    c.fill(0);
    const n = this.sizes[1];
    const W = this.W[0];
    for (let i = 0; i < offset.length; i++) {
      const m = offset[i];
      if (m === 0) continue;
      for (let j = 0, o = i * n; j < n; j++) c[j] += m * W[o + j];
    }
  }
}

/** Builds an MLP; all draws from the stream `createRng(seed, 'mlp/init')`. */
export function createMlp(spec: MlpSpec, seed: number): Mlp {
  return new Mlp(spec, createRng(seed, 'mlp/init'));
}

function uniform(n: number, half: number, rng: Rng, mask: Uint8Array | null): Float64Array {
  const w = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = (2 * rng.uniform() - 1) * half;
    w[k] = mask === null || mask[k] ? v : 0;
  }
  return w;
}

/** Per-layer activity buffers: a[l] pre-activations and h[l] outputs of layer l (h[0] is the input). */
export class Activity {
  readonly a: Float64Array[];
  readonly h: Float64Array[];
  constructor(sizes: number[]) {
    this.a = sizes.map((n) => new Float64Array(n));
    this.h = sizes.map((n) => new Float64Array(n));
  }
}

/** a = W_l^T h + b_l (- c for l = 0); zero inputs are skipped. */
export function layerInput(net: Mlp, l: number, h: ArrayLike<number>, a: Float64Array): void {
  const n = net.sizes[l + 1];
  const W = net.W[l];
  a.set(net.b[l]);
  if (l === 0 && net.offset !== null) for (let j = 0; j < n; j++) a[j] -= net.c[j];
  for (let i = 0, m = net.sizes[l]; i < m; i++) {
    const v = h[i];
    if (v === 0) continue;
    for (let j = 0, o = i * n; j < n; j++) a[j] += v * W[o + j];
  }
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** h = f(a) for a hidden layer. */
export function hiddenActivate(kind: HiddenKind, a: Float64Array, h: Float64Array): void {
  if (kind === 'linear') h.set(a);
  else for (let j = 0; j < a.length; j++) h[j] = 1 / (1 + Math.exp(-a[j]));
}

/** f'(a) expressed through h = f(a). */
export function hiddenSlope(kind: HiddenKind, h: number): number {
  return kind === 'linear' ? 1 : h * (1 - h);
}

/** Clean (noise-free) forward pass; returns the output layer's activity. */
export function forward(net: Mlp, x: ArrayLike<number>, s: Activity): Float64Array {
  const L = net.L;
  for (let i = 0; i < net.sizes[0]; i++) s.h[0][i] = x[i];
  for (let l = 0; l < L; l++) {
    layerInput(net, l, s.h[l], s.a[l + 1]);
    if (l + 1 < L) hiddenActivate(net.hidden, s.a[l + 1], s.h[l + 1]);
    else outputActivate(net.output, s.a[L], s.h[L]);
  }
  return s.h[L];
}

/** Index of the largest entry. */
export function argmax(v: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[k]) k = i;
  return k;
}
