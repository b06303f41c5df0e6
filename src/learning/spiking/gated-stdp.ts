/**
 * Phase-gated STDP: the pair-based `stdp` rule (src/synapses/plasticity/stdp.ts, same window, traces, pairing and
 * weight dependence) times a global gain `g` that the learner sets phase by phase, as a neuromodulator might:
 *
 *     W_g(s) = g * W(s),   W(s) = sign * a_plus exp(-s / tau_plus)          s >= 0
 *                                 sign * k a_minus exp(s / tau_minus)       s <  0   (k = -1 antisymmetric, +1 symmetric)
 *
 * A pair is counted with the gain in force at its later spike. With g = 1 throughout this is exactly `stdp`.
 *
 * Contrastive gating (used by the spiking learner): g = -T_nudge / T_free in the free phase and g = +1 in the nudged
 * phase. For Poisson trains at steady rates, a symmetric (Hebbian) window gives per example
 *
 *     E[dw] = r_pre (T_nudge r_post^nudge - T_nudge r_post^free) * (a_plus tau_plus + a_minus tau_minus)
 *           = T_nudge (a_plus tau_plus + a_minus tau_minus) * r_pre * (r_post^nudge - r_post^free)
 *
 * i.e. presynaptic rate times the change of the postsynaptic rate between the phases: the derivative filter of
 * science.md claim 3 with a window as long as a phase (the recirculation / GeneRec form, claims 4 and 5), not the
 * 20 ms of the STDP window. The causal (Hebbian) excess of pairs, where a presynaptic spike helps cause the
 * postsynaptic spike after it, is the same in both phases to first order and cancels, as does the rate product.
 * The rule sees only spike times and the gain; it computes no error and no gradient.
 *
 * | name    | unit | meaning                                                          |
 * |---------|------|------------------------------------------------------------------|
 * | gain    | -    | phase gain g, set by the learner (0 switches plasticity off)     |
 * | others  |      | as in `stdp` (a_plus, a_minus in mV; tau_plus_ms, tau_minus_ms)  |
 */
import type { Projection } from '../../synapses/projection.js';
import type { PlasticitySpec } from '../../scenario/schema.js';
import { Traces } from '../../synapses/plasticity/trace.js';
import { reverseIndex, type PlasticRule, type ReverseIndex } from '../../synapses/plasticity/rule.js';

export class GatedStdp implements PlasticRule {
  readonly name = 'gated-stdp';
  readonly pre: Traces;
  readonly post: Traces;
  readonly rev: ReverseIndex;
  /** Phase gain g. */
  gain = 1;
  private readonly dPost: number;
  private readonly dPre: number;
  private readonly wMin: number;
  private readonly wMax: number;
  private readonly invRange: number;
  private readonly multiplicative: boolean;

  constructor(readonly projection: Projection, spec: PlasticitySpec) {
    const nearest = spec.pairing === 'nearest';
    this.pre = new Traces(projection.nGroups, spec.tau_plus_ms, nearest);
    this.post = new Traces(projection.target.size, spec.tau_minus_ms, nearest);
    this.rev = reverseIndex(projection);
    this.dPost = spec.sign * spec.a_plus;
    this.dPre = spec.sign * (spec.window === 'antisymmetric' ? -1 : 1) * spec.a_minus;
    this.wMin = spec.w_min_mv;
    this.wMax = spec.w_max_mv;
    this.invRange = 1 / (spec.w_max_mv - spec.w_min_mv);
    this.multiplicative = spec.weight_dependence === 'multiplicative';
  }

  /** Wires the rule to its projection's arrivals and its target's spikes. */
  attach(): this {
    this.projection.plasticity = this;
    this.projection.target.addListener(this);
    return this;
  }

  private update(w: number, d: number): number {
    if (this.multiplicative) d *= (d > 0 ? this.wMax - w : w - this.wMin) * this.invRange;
    w += d;
    return w < this.wMin ? this.wMin : w > this.wMax ? this.wMax : w;
  }

  onPreArrival(g: number, t: number): void {
    const d = this.gain * this.dPre;
    if (d !== 0) {
      const { weight, post, groupStart } = this.projection;
      const y = this.post;
      for (let s = groupStart[g], end = groupStart[g + 1]; s < end; s++) {
        const yj = y.at(post[s], t);
        if (yj !== 0) weight[s] = this.update(weight[s], d * yj);
      }
    }
    this.pre.bump(g, t);
  }

  onSpike(j: number, t: number): void {
    const d = this.gain * this.dPost;
    if (d !== 0) {
      const { weight } = this.projection;
      const { ptr, syn, group } = this.rev;
      const x = this.pre;
      for (let k = ptr[j], end = ptr[j + 1]; k < end; k++) {
        const s = syn[k];
        const xs = x.at(group[s], t);
        if (xs !== 0) weight[s] = this.update(weight[s], d * xs);
      }
    }
    this.post.bump(j, t);
  }
}
