/**
 * Connection rules: which (pre, post) pairs a projection links, and the weight and delay of each.
 *
 * Rules: all_to_all; one_to_one; fixed_probability (each pair independently with probability p, drawn by geometric
 * skipping so the cost is proportional to the synapses made, not to n_pre * n_post); fixed_indegree (each post
 * neuron draws n distinct presynaptic partners); receptive_field (the presynaptic population is a width x height
 * grid, index y * width + x; each post neuron draws a square patch, side uniform in [patch[0], patch[1]], placed
 * uniformly with at least `margin` cells to every edge, then n distinct partners inside it, or the whole patch
 * without n: the local random features of convolution-free image models); pairs (an explicit list). Autapses
 * (i -> i) are excluded by default when pre and post are the same population.
 */
import type { Rng } from '../kernel/rng.js';

export type ConnectSpec =
  | { rule: 'all_to_all'; allow_autapses?: boolean }
  | { rule: 'one_to_one' }
  | { rule: 'fixed_probability'; p: number; allow_autapses?: boolean }
  | { rule: 'fixed_indegree'; n: number; allow_autapses?: boolean }
  | { rule: 'receptive_field'; width: number; height: number; patch: [number, number]; n?: number; margin?: number }
  | { rule: 'pairs'; pre: number[]; post: number[] };

/** A number, or a distribution drawn per synapse. */
export type ValueSpec = number | { uniform: [number, number] } | { normal: [number, number] };

export interface Edges {
  pre: Int32Array;
  post: Int32Array;
  count: number;
}

/** Growable pair list (amortized doubling), sized up front when the rule knows its count. */
class EdgeList {
  pre: Int32Array;
  post: Int32Array;
  count = 0;
  constructor(capacity = 1024) {
    this.pre = new Int32Array(Math.max(1, capacity));
    this.post = new Int32Array(Math.max(1, capacity));
  }
  add(i: number, j: number): void {
    if (this.count === this.pre.length) {
      const p = new Int32Array(this.count * 2);
      p.set(this.pre);
      this.pre = p;
      const q = new Int32Array(this.count * 2);
      q.set(this.post);
      this.post = q;
    }
    this.pre[this.count] = i;
    this.post[this.count] = j;
    this.count++;
  }
}

export function connect(spec: ConnectSpec, nPre: number, nPost: number, samePop: boolean, rng: Rng): Edges {
  const known = spec.rule === 'all_to_all' ? nPre * nPost : spec.rule === 'fixed_indegree' ? nPost * spec.n : 1024;
  const e = new EdgeList(Math.min(known, 2 ** 26)); // past that, grow as needed
  const autapse = (i: number, j: number): boolean =>
    samePop && i === j && !('allow_autapses' in spec && spec.allow_autapses);
  switch (spec.rule) {
    case 'all_to_all':
      for (let i = 0; i < nPre; i++) for (let j = 0; j < nPost; j++) if (!autapse(i, j)) e.add(i, j);
      break;
    case 'one_to_one':
      for (let i = 0; i < Math.min(nPre, nPost); i++) e.add(i, i);
      break;
    case 'fixed_probability': {
      const p = spec.p;
      if (p <= 0) break;
      const total = nPre * nPost;
      const logq = Math.log1p(-p);
      // Index k = i * nPost + j of the next linked pair: skip a geometric number of pairs.
      for (let k = p >= 1 ? 0 : Math.floor(Math.log(1 - rng.uniform()) / logq); k < total; ) {
        const i = Math.floor(k / nPost);
        const j = k - i * nPost;
        if (!autapse(i, j)) e.add(i, j);
        k += p >= 1 ? 1 : 1 + Math.floor(Math.log(1 - rng.uniform()) / logq);
      }
      break;
    }
    case 'fixed_indegree': {
      const chosen = new Uint8Array(nPre);
      for (let j = 0; j < nPost; j++) {
        const from = e.count;
        while (e.count - from < spec.n) {
          const i = rng.int(nPre);
          if (chosen[i] || autapse(i, j)) continue;
          chosen[i] = 1;
          e.add(i, j);
        }
        for (let k = from; k < e.count; k++) chosen[e.pre[k]] = 0;
      }
      break;
    }
    case 'receptive_field': {
      // Side s in [lo, hi]; the patch's corner (x0, y0) in [m, W - m - s] x [m, H - m - s]; validate.ts checks fit.
      const { width: W, height: H, patch: [lo, hi] } = spec;
      const m = spec.margin ?? 0;
      const cells: number[] = [];
      for (let j = 0; j < nPost; j++) {
        const s = lo + rng.int(hi - lo + 1);
        const x0 = m + rng.int(W - 2 * m - s + 1);
        const y0 = m + rng.int(H - 2 * m - s + 1);
        cells.length = 0;
        for (let y = y0; y < y0 + s; y++) for (let x = x0; x < x0 + s; x++) cells.push(y * W + x);
        // n distinct cells of the patch (a partial Fisher-Yates shuffle), listed in grid order: the weights and delays
        // drawn next go to the synapses in that order.
        const n = Math.min(spec.n ?? cells.length, cells.length);
        for (let k = 0; k < n && n < cells.length; k++) {
          const r = k + rng.int(cells.length - k);
          const c = cells[k];
          cells[k] = cells[r];
          cells[r] = c;
        }
        const picked = cells.slice(0, n).sort((a, b) => a - b);
        for (const i of picked) e.add(i, j);
      }
      break;
    }
    case 'pairs':
      for (let k = 0; k < spec.pre.length; k++) e.add(spec.pre[k], spec.post[k]);
      break;
  }
  return { pre: e.pre, post: e.post, count: e.count };
}
