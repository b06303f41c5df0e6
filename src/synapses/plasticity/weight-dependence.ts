/**
 * What the STDP rules (stdp.ts, triplet-stdp.ts) share around their traces: the weight dependence F with the hard
 * bounds, and the size of the scratch that one post spike or one arrival gathers into.
 *
 * Weight dependence F, with range R = w_max - w_min, and weights always clipped to [w_min, w_max]:
 *     additive (Song, Miller & Abbott 2000):        F = 1
 *     multiplicative (soft bounds; van Rossum, Bi & Turrigiano 2000):
 *                                                   F = (w_max - w) / R  for an increase,  (w - w_min) / R  for a decrease
 */
import type { Projection } from '../projection.js';
import type { PlasticitySpec } from './spec.js';
import type { ReverseIndex } from './rule.js';

export class WeightDependence {
  private readonly wMin: number;
  private readonly wMax: number;
  private readonly invRange: number;
  private readonly multiplicative: boolean;

  constructor(spec: PlasticitySpec) {
    this.wMin = spec.w_min_mv;
    this.wMax = spec.w_max_mv;
    this.invRange = 1 / (spec.w_max_mv - spec.w_min_mv);
    this.multiplicative = spec.weight_dependence === 'multiplicative';
  }

  /** w + d, scaled by the soft bound for the direction of d when multiplicative, clipped to [w_min, w_max]. */
  update(w: number, d: number): number {
    if (this.multiplicative) d *= (d > 0 ? this.wMax - w : w - this.wMin) * this.invRange;
    w += d;
    return w < this.wMin ? this.wMin : w > this.wMax ? this.wMax : w;
  }
}

/** The most synapses one post spike (a row of the reverse index) or one arrival (a delay group) touches. */
export function widestGather(projection: Projection, rev: ReverseIndex): number {
  let widest = 0;
  const { ptr } = rev;
  for (let j = 0; j + 1 < ptr.length; j++) widest = Math.max(widest, ptr[j + 1] - ptr[j]);
  const gs = projection.groupStart;
  for (let g = 0; g < projection.nGroups; g++) widest = Math.max(widest, gs[g + 1] - gs[g]);
  return widest;
}
