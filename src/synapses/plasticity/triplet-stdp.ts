/**
 * `triplet_stdp`: the triplet rule of Pfister & Gerstner 2006, evaluated at exact spike times, beside the pair rule
 * (stdp.ts, whose conventions it keeps: presynaptic times at arrival, postsynaptic at emission, arrivals before
 * threshold events at equal times, weights clipped to [w_min, w_max] with additive or soft-bound dependence F).
 *
 * Four traces decayed lazily (trace.ts): r1 (tau_plus) and r2 (tau_x) per presynaptic delay group, o1 (tau_minus) and
 * o2 (tau_y) per postsynaptic neuron; each adds 1 at its side's spike (all-to-all) or is reset to 1 (nearest).
 *
 *     post spike at t:   w += r1(t) [a2_plus  + a3_plus  o2(t - eps)] F(w, +),   then o1 and o2 bump
 *     pre arrival at t:  w -= o1(t) [a2_minus + a3_minus r2(t - eps)] F(w, -),   then r1 and r2 bump, then delivery
 *
 * o2 and r2 are read before their own spike's bump (the paper's t - eps). All-to-all, the total change is a sum over
 * pairs (pre before post, post before pre) and triplets (pre-post-post: a post spike earlier than the pair's; and
 * post-pre-pre), each an exponential in its intervals; tests/synapses/triplet-stdp.test.ts sums them one by one.
 * With a3_plus = a3_minus = 0 it is the pair rule with a_plus = a2_plus, a_minus = a2_minus.
 *
 * | name         | unit | default (visual cortex, all-to-all / nearest) | meaning                     |
 * |--------------|------|-----------------------------------------------|-----------------------------|
 * | a2_plus      | mV   | 5e-10 / 8.8e-11                               | pair potentiation           |
 * | a3_plus      | mV   | 6.2e-3 / 5.3e-2                               | triplet potentiation        |
 * | a2_minus     | mV   | 7e-3 / 6.6e-3                                 | pair depression             |
 * | a3_minus     | mV   | 2.3e-4 / 3.1e-3                               | triplet depression          |
 * | tau_plus_ms  | ms   | 16.8                                          | presynaptic pair trace r1   |
 * | tau_minus_ms | ms   | 33.7                                          | postsynaptic pair trace o1  |
 * | tau_x_ms     | ms   | 101 / 714                                     | presynaptic triplet trace r2|
 * | tau_y_ms     | ms   | 125 / 40                                      | postsynaptic triplet trace o2|
 * | w_min_mv, w_max_mv, weight_dependence | | 0, required, additive        | bounds and F, as for stdp   |
 *
 * Defaults: the full model fitted to visual cortex data (Sjostrom et al. 2001) in Pfister & Gerstner 2006, one set per
 * pairing scheme (spec.ts, VISUAL_CORTEX). References: Pfister & Gerstner 2006 (J Neurosci 26:9673); Morrison,
 * Diesmann & Gerstner 2008 (traces, nearest-spike schemes).
 */
import type { Projection } from '../projection.js';
import type { PlasticitySpec } from './spec.js';
import { Traces } from './trace.js';
import { reverseIndex, type PlasticRule, type ReverseIndex } from './rule.js';
import { WeightDependence, widestGather } from './weight-dependence.js';
import type { StateReader, StateWriter } from '../../kernel/state-io.js';

export class TripletStdpRule implements PlasticRule {
  readonly name = 'triplet_stdp';
  readonly r1: Traces;
  readonly r2: Traces;
  readonly o1: Traces;
  readonly o2: Traces;
  readonly rev: ReverseIndex;
  private readonly a2p: number;
  private readonly a3p: number;
  private readonly a2m: number;
  private readonly a3m: number;
  private readonly dependence: WeightDependence;
  private readonly weight: Float64Array;
  /** Scratch for one post spike's or one arrival's synapses (see Traces.gather). */
  private readonly buf: Float64Array;

  constructor(readonly projection: Projection, spec: PlasticitySpec) {
    if (spec.rule !== 'triplet_stdp') throw new Error(`projection ${projection.name}: the triplet rule was given rule ${spec.rule}`);
    const nearest = spec.pairing === 'nearest';
    this.r1 = new Traces(projection.nGroups, spec.tau_plus_ms, nearest);
    this.r2 = new Traces(projection.nGroups, spec.tau_x_ms, nearest);
    this.o1 = new Traces(projection.target.size, spec.tau_minus_ms, nearest);
    this.o2 = new Traces(projection.target.size, spec.tau_y_ms, nearest);
    this.rev = reverseIndex(projection);
    this.weight = projection.weight;
    this.a2p = spec.a2_plus;
    this.a3p = spec.a3_plus;
    this.a2m = spec.a2_minus;
    this.a3m = spec.a3_minus;
    this.dependence = new WeightDependence(spec);
    this.buf = new Float64Array(widestGather(projection, this.rev));
  }

  /** Heard at once in a threaded run: a post spike changes only the synapses onto that neuron (StdpRule.local). */
  readonly local = true;

  /** The four traces' epochs move at a threaded run's window ends only (Traces.holdEpoch). */
  holdEpoch(): void {
    for (const k of ['r1', 'r2', 'o1', 'o2'] as const) this[k].holdEpoch();
  }

  moveEpoch(t: number): void {
    for (const k of ['r1', 'r2', 'o1', 'o2'] as const) this[k].moveEpoch(t);
  }

  /** The four traces (checkpoints). */
  saveState(w: StateWriter): void {
    for (const k of ['r1', 'r2', 'o1', 'o2'] as const) this[k].saveState(w.scope(k));
  }

  loadState(r: StateReader): void {
    for (const k of ['r1', 'r2', 'o1', 'o2'] as const) this[k].loadState(r.scope(k));
  }

  /** Arrival of delay group g at t: depression by each target's o1, scaled by the group's r2 before this arrival. */
  onPreArrival(g: number, t: number): void {
    const { post, groupStart } = this.projection;
    const d = -(this.a2m + this.a3m * this.r2.at(g, t));
    if (d !== 0) {
      const s0 = groupStart[g];
      const s1 = groupStart[g + 1];
      const o1 = this.buf;
      this.o1.gather(post, s0, s1, t, o1);
      const F = this.dependence;
      for (let s = s0; s < s1; s++) if (o1[s - s0] !== 0) this.weight[s] = F.update(this.weight[s], d * o1[s - s0]);
    }
    this.r1.bump(g, t);
    this.r2.bump(g, t);
  }

  /** Spike of postsynaptic neuron j at t: potentiation by each synapse's r1, scaled by j's o2 before this spike. */
  onSpike(j: number, t: number): void {
    const { ptr, syn, group } = this.rev;
    const d = this.a2p + this.a3p * this.o2.at(j, t);
    if (d !== 0) {
      const k0 = ptr[j];
      const k1 = ptr[j + 1];
      const r1 = this.buf;
      this.r1.gather(group, k0, k1, t, r1);
      const F = this.dependence;
      for (let k = k0; k < k1; k++) if (r1[k - k0] !== 0) this.weight[syn[k]] = F.update(this.weight[syn[k]], d * r1[k - k0]);
    }
    this.o1.bump(j, t);
    this.o2.bump(j, t);
  }
}
