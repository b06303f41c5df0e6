/**
 * `stdp`: pair-based spike-timing-dependent plasticity with exponential windows, evaluated at exact spike times.
 *
 * For one pre/post pair with s = t_post - t_pre (t_pre: arrival at the synapse, i.e. emission + axonal delay;
 * t_post: emission, no dendritic delay):
 *
 *     W(s) = sign *  a_plus  exp(-s / tau_plus)     s >= 0   (causal: potentiation for sign = +1)
 *     W(s) = sign * k a_minus exp( s / tau_minus)    s <  0   (k = -1 antisymmetric, +1 symmetric window)
 *
 * Simultaneous arrival and emission (s = 0) counts as causal: arrivals are handled before threshold events at equal
 * times. Implemented with traces (trace.ts): a presynaptic trace x per delay group (time constant tau_plus) and a
 * postsynaptic trace y per target neuron (tau_minus).
 *     post spike at t:      w += sign   * a_plus  * x(t) * F(w, +sign),         then y bumps
 *     pre arrival at t:     w += sign*k * a_minus * y(t) * F(w, sign*k),        then x bumps, then w is delivered
 * With all-to-all pairing (traces add 1) this sums W over every pair; with nearest pairing (traces reset to 1) each
 * spike pairs with the latest spike of the other side only.
 *
 * Weight dependence F (additive or multiplicative) and clipping to [w_min, w_max]: weight-dependence.ts.
 *
 * | name              | unit | meaning                                   |
 * |-------------------|------|-------------------------------------------|
 * | a_plus, a_minus   | mV   | window amplitudes (weight units)          |
 * | tau_plus_ms       | ms   | causal window time constant               |
 * | tau_minus_ms      | ms   | acausal window time constant              |
 * | w_min_mv, w_max_mv| mV   | hard bounds                               |
 * | pairing           | -    | all_to_all or nearest                     |
 * | window            | -    | antisymmetric (STDP) or symmetric (Hebbian) |
 * | sign              | -    | +1, or -1 for the reversed (anti-STDP) rule that recirculation needs |
 */
import type { Projection } from '../projection.js';
import type { PlasticitySpec } from './spec.js';
import { Traces } from './trace.js';
import { reverseIndex, type PlasticRule, type ReverseIndex } from './rule.js';
import { WeightDependence, widestGather } from './weight-dependence.js';
import type { StateReader, StateWriter } from '../../kernel/state-io.js';

/** A factor m_j(t) per postsynaptic neuron j. */
export interface PostModulation {
  /** m_j(t). */
  at(j: number, t: number): number;
  /** out[k - from] *= m_{idx[k]}(t) for k in [from, to): the same products as out[k - from] * at(idx[k], t). */
  scaleInto(idx: Int32Array, from: number, to: number, t: number, out: Float64Array): void;
}

export class StdpRule implements PlasticRule {
  readonly name: string = 'stdp';
  /**
   * Global gain g multiplying every update (W becomes g W); 1 unless a learner gates plasticity phase by phase
   * (src/learning/spiking/gated-stdp.ts). Traces are kept at any gain.
   */
  gain = 1;
  /**
   * Third factor per postsynaptic neuron, or null (1): every update onto neuron j at time t is multiplied by
   * modulation.at(j, t), so W(s) becomes m_j(t) W(s) with m read at the update's spike (the later one of the pair).
   * A learner sets it (src/learning/spiking/apical.ts: the apical potential of the target neuron).
   */
  modulation: PostModulation | null = null;
  readonly pre: Traces;
  readonly post: Traces;
  readonly rev: ReverseIndex;
  /** Signed amplitudes of the causal (post spike) and acausal (pre arrival) updates. */
  private readonly dPost: number;
  private readonly dPre: number;
  private readonly dependence: WeightDependence;
  /** The weights the rule updates, one per synapse: the projection's own (reading them expands a shared weight:
   * projection.ts), unless a subclass points the rule at a copy that it consolidates later (gated-stdp.ts). */
  protected weight: Float64Array;
  /** Scratch for one post spike's or one arrival's synapses: traces and weights (see Traces.gather). */
  private readonly bufX: Float64Array;
  private readonly bufW: Float64Array;

  constructor(readonly projection: Projection, spec: PlasticitySpec) {
    if (spec.rule !== 'stdp') throw new Error(`projection ${projection.name}: the pair STDP rule was given rule ${spec.rule}`);
    const nearest = spec.pairing === 'nearest';
    this.pre = new Traces(projection.nGroups, spec.tau_plus_ms, nearest);
    this.post = new Traces(projection.target.size, spec.tau_minus_ms, nearest);
    this.rev = reverseIndex(projection);
    this.weight = projection.weight;
    this.dPost = spec.sign * spec.a_plus;
    this.dPre = spec.sign * (spec.window === 'antisymmetric' ? -1 : 1) * spec.a_minus;
    this.dependence = new WeightDependence(spec);
    const widest = widestGather(projection, this.rev);
    this.bufX = new Float64Array(widest);
    this.bufW = new Float64Array(widest);
  }

  /**
   * A threaded run (scenario/windowed.ts) calls onSpike at each spike of the target's own neurons in the partition
   * that owns them, at once: it changes only the synapses onto the spiking neuron, which live in that partition.
   */
  readonly local = true;

  /** The traces' epochs move at a threaded run's window ends only (Traces.holdEpoch). */
  holdEpoch(): void {
    this.pre.holdEpoch();
    this.post.holdEpoch();
  }

  moveEpoch(t: number): void {
    this.pre.moveEpoch(t);
    this.post.moveEpoch(t);
  }

  /** The gain and both traces (checkpoints). A subclass that keeps weights of its own saves them itself. */
  saveState(w: StateWriter): void {
    w.num('gain', this.gain);
    this.pre.saveState(w.scope('pre'));
    this.post.saveState(w.scope('post'));
  }

  loadState(r: StateReader): void {
    this.gain = r.num('gain');
    this.pre.loadState(r.scope('pre'));
    this.post.loadState(r.scope('post'));
  }

  onPreArrival(g: number, t: number): void {
    const { post, groupStart } = this.projection;
    const weight = this.weight;
    const y = this.post;
    const F = this.dependence;
    const d = this.gain * this.dPre;
    if (d !== 0) {
      const s0 = groupStart[g];
      const s1 = groupStart[g + 1];
      const ys = this.bufX;
      y.gather(post, s0, s1, t, ys);
      if (this.modulation !== null) this.modulation.scaleInto(post, s0, s1, t, ys);
      for (let s = s0; s < s1; s++) {
        const yj = ys[s - s0];
        if (yj !== 0) weight[s] = F.update(weight[s], d * yj);
      }
    }
    this.pre.bump(g, t);
  }

  /** Spike of postsynaptic neuron j at time t. */
  onSpike(j: number, t: number): void {
    const weight = this.weight;
    const { ptr, syn, group } = this.rev;
    const x = this.pre;
    const F = this.dependence;
    const d = this.modulation === null ? this.gain * this.dPost : this.gain * this.dPost * this.modulation.at(j, t);
    if (d !== 0) {
      // Gather first (traces, then weights: independent loads whose cache misses overlap), then update.
      const k0 = ptr[j];
      const k1 = ptr[j + 1];
      const { bufX: xs, bufW: ws } = this;
      x.gather(group, k0, k1, t, xs);
      for (let k = k0; k < k1; k++) ws[k - k0] = weight[syn[k]];
      for (let k = k0; k < k1; k++) {
        const xk = xs[k - k0];
        if (xk !== 0) weight[syn[k]] = F.update(ws[k - k0], d * xk);
      }
    }
    this.post.bump(j, t);
  }
}
