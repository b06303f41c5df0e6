/**
 * A stack of autoencoders with a label (and pose) at the top, and the two error signals compared by claim 5.
 * Logistic units f(a) = 1 / (1 + e^-a), activities unitless in (0, 1). Activities h_0 (input) ... h_L (top).
 *
 *     bottom-up      a_l = W_l h_{l-1} + b_l,        h_l = f(a_l)                         (encoder l, l = 1..L)
 *     top-down       r_L given,                      r_l = f(D_l r_{l+1} + c_l)           (decoder l+1, l = L-1..1)
 *
 * Two top-down passes: from r_L = y = h_L (the top predicted from the input) and from y' = y + beta m (t - y), the
 * same top moved by beta toward the target t on the label units (m: 1 on the label units, 0 on the pose units).
 * The two-pass error signal of layer l is e_l = (r'_l - r_l) / beta; at the top e_L = m (t - y).
 * Backprop, for the cross-entropy of the logistic label units (so the top's delta is exactly t - y):
 *
 *     delta_L = m (t - y),       delta_l = f'(a_l) * W_{l+1}^T delta_{l+1},      f' = f (1 - f)
 *
 * Either signal s gives the update of encoder l: dW_l = eps s_l h_{l-1}^T, db_l = eps s_l (pre activity times the
 * signal). For a small beta, r'_l - r_l = beta f'(D_l r_{l+1} + c_l) * D_l (r'_{l+1} - r_{l+1}) to first order, so
 * e_l = delta_l when the decoders are tied (D_{l+1} = W_{l+1}^T) and the top-down pass runs at the bottom-up
 * operating point (D_{l+1} h_{l+1} + c_l = a_l, an exact reconstruction). `exact` decoders impose the latter per
 * example: r_l = f(a_l + D_{l+1} (r_{l+1} - h_{l+1})), i.e. the first pass reproduces the bottom-up activities.
 *
 * Storage: W_l is [out][in] (W[j * nIn + i]: unit i of layer l-1 -> unit j of layer l); D_l is [in][out]
 * (D[i * nOut + j]: unit j of layer l -> unit i of layer l-1).
 */
import { sigmoid } from '../mlp.js';

export interface StackLayer {
  nIn: number;
  nOut: number;
  W: Float64Array;
  b: Float64Array;
  D: Float64Array;
  c: Float64Array;
}

export interface BottomUp {
  /** a[l], h[l] for l = 0..L (a[0] unused, h[0] = x). */
  a: Float64Array[];
  h: Float64Array[];
}

export type DecoderMode = 'learned' | 'exact';

export function layer(nIn: number, nOut: number): StackLayer {
  return { nIn, nOut, W: new Float64Array(nIn * nOut), b: new Float64Array(nOut), D: new Float64Array(nIn * nOut), c: new Float64Array(nIn) };
}

export function cloneLayers(ls: StackLayer[]): StackLayer[] {
  return ls.map((l) => ({ nIn: l.nIn, nOut: l.nOut, W: l.W.slice(), b: l.b.slice(), D: l.D.slice(), c: l.c.slice() }));
}

/** Bottom-up pass; layers[l - 1] is encoder l. */
export function bottomUp(layers: StackLayer[], x: ArrayLike<number>): BottomUp {
  const a: Float64Array[] = [new Float64Array(0)];
  const h: Float64Array[] = [Float64Array.from(x)];
  for (const L of layers) {
    const prev = h[h.length - 1];
    const al = L.b.slice();
    for (let j = 0; j < L.nOut; j++) for (let i = 0; i < L.nIn; i++) al[j] += L.W[j * L.nIn + i] * prev[i];
    a.push(al);
    h.push(al.map(sigmoid));
  }
  return { a, h };
}

/** Top-down pass from the top activity `top` down to layer 1: r[l] for l = 1..L (r[0] empty). `exact`: the
 * decoder's input is the change from the bottom-up top, added to the bottom-up pre-activation. */
export function topDown(layers: StackLayer[], top: ArrayLike<number>, mode: DecoderMode, bu?: BottomUp): Float64Array[] {
  const L = layers.length;
  const r: Float64Array[] = new Array(L + 1);
  r[0] = new Float64Array(0);
  r[L] = Float64Array.from(top);
  for (let l = L - 1; l >= 1; l--) {
    const dec = layers[l];
    const above = r[l + 1];
    const pre = mode === 'exact' ? bu!.a[l].slice() : dec.c.slice();
    for (let i = 0; i < dec.nIn; i++) {
      let s = 0;
      for (let j = 0; j < dec.nOut; j++) s += dec.D[i * dec.nOut + j] * (mode === 'exact' ? above[j] - bu!.h[l + 1][j] : above[j]);
      pre[i] += s;
    }
    r[l] = pre.map(sigmoid);
  }
  return r;
}

/** The top's error m (t - y): the label units only (the first `nLabel`). */
export function topError(y: ArrayLike<number>, label: number, nLabel: number): Float64Array {
  const e = new Float64Array(y.length);
  for (let k = 0; k < nLabel; k++) e[k] = (k === label ? 1 : 0) - y[k];
  return e;
}

/** Two-pass signals e[l], l = 1..L: (r'_l - r_l) / beta below the top, m (t - y) at it. */
export function twoPassSignals(layers: StackLayer[], bu: BottomUp, label: number, nLabel: number, beta: number, mode: DecoderMode): Float64Array[] {
  const L = layers.length;
  const y = bu.h[L];
  const eTop = topError(y, label, nLabel);
  const moved = y.map((v, k) => v + beta * eTop[k]);
  const r1 = topDown(layers, y, mode, bu);
  const r2 = topDown(layers, moved, mode, bu);
  const e: Float64Array[] = r1.map((r, l) => r.map((v, i) => (r2[l][i] - v) / beta));
  e[L] = eTop;
  return e;
}

/** Backprop's deltas delta[l], l = 1..L (delta[0] empty). */
export function backpropSignals(layers: StackLayer[], bu: BottomUp, label: number, nLabel: number): Float64Array[] {
  const L = layers.length;
  const d: Float64Array[] = new Array(L + 1);
  d[0] = new Float64Array(0);
  d[L] = topError(bu.h[L], label, nLabel);
  for (let l = L - 1; l >= 1; l--) {
    const enc = layers[l];
    const h = bu.h[l];
    const dl = new Float64Array(enc.nIn);
    for (let i = 0; i < enc.nIn; i++) {
      let s = 0;
      for (let j = 0; j < enc.nOut; j++) s += enc.W[j * enc.nIn + i] * d[l + 1][j];
      dl[i] = h[i] * (1 - h[i]) * s;
    }
    d[l] = dl;
  }
  return d;
}

/** The update of encoder l (weights then bias, flattened) for signal s_l: s_l h_{l-1}^T and s_l. */
export function encoderUpdate(bu: BottomUp, s: Float64Array[], l: number): Float64Array {
  const pre = bu.h[l - 1];
  const post = s[l];
  const out = new Float64Array(post.length * (pre.length + 1));
  for (let j = 0; j < post.length; j++) for (let i = 0; i < pre.length; i++) out[j * pre.length + i] = post[j] * pre[i];
  out.set(post, post.length * pre.length);
  return out;
}

/** Applies eps times the signals to encoders `from` .. L (1-based; from = L trains the top only). */
export function applySignals(layers: StackLayer[], bu: BottomUp, s: Float64Array[], eps: number, from: number): void {
  for (let l = from; l <= layers.length; l++) {
    const enc = layers[l - 1];
    const pre = bu.h[l - 1];
    const post = s[l];
    for (let j = 0; j < enc.nOut; j++) {
      const d = eps * post[j];
      if (d === 0) continue;
      enc.b[j] += d;
      for (let i = 0; i < enc.nIn; i++) enc.W[j * enc.nIn + i] += d * pre[i];
    }
  }
}

/** The predicted label: the label unit with the largest activity. */
export function predict(layers: StackLayer[], x: ArrayLike<number>, nLabel: number): number {
  const y = bottomUp(layers, x).h[layers.length];
  let best = 0;
  for (let k = 1; k < nLabel; k++) if (y[k] > y[best]) best = k;
  return best;
}
