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
import { StdpRule } from '../../synapses/plasticity/stdp.js';

/** The `stdp` rule with its gain driven by a learner; everything else is the kernel's rule itself. */
export class GatedStdp extends StdpRule {
  override readonly name: string = 'gated-stdp';

  constructor(projection: Projection, spec: PlasticitySpec) {
    super(projection, spec);
  }

  /** Wires the rule to its projection's arrivals and its target's spikes. */
  attach(): this {
    this.projection.plasticity = this;
    this.projection.target.addListener(this);
    return this;
  }
}
