/**
 * Phase-gated STDP: the pair-based `stdp` rule (src/synapses/plasticity/stdp.ts, same window, traces, pairing and
 * weight dependence) times a global gain `g` that the learner sets phase by phase, as a neuromodulator might:
 *
 *     W_g(s) = g * W(s),   W(s) = sign * a_plus exp(-s / tau_plus)          s >= 0
 *                                 sign * k a_minus exp(s / tau_minus)       s <  0   (k = -1 antisymmetric, +1 symmetric)
 *
 * A pair is counted with the gain in force at its later spike. With g = 1 throughout this is exactly `stdp`. The
 * contrastive learner (spiking-fa.ts) also empties the traces at each phase boundary, so that each phase counts
 * only its own pairs: pairs straddling a boundary would otherwise favour the phase that comes second.
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
 * Deferred consolidation: when the gain changes sign within an example, an update applied at once changes the very
 * rates that the next phase compares with (a free-phase depression of w ~ -r_pre r_post lowers the nudged rate,
 * so E[r_nudge - r_free] < 0 even without any teacher: measured, the hidden rates of the narrow learner fell from
 * 14 to 6 Hz in 3,000 examples with no feedback). With `deferred`, each pair's update is computed by the rule at
 * its spikes as always, but into a tag (a copy of the weights); the learner consolidates the tags into the
 * delivered weights at the end of each example, as a late, global signal (synaptic tagging and capture, Frey &
 * Morris 1997), so both phases run on the same weights.
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
  /** With deferred consolidation: the weights as the rule has updated them, delivered only after consolidate(). */
  readonly tagged: Float64Array | null;

  /** Bounds applied at consolidation (additive deferred rule), else null (the rule clips at every update). */
  private readonly bounds: readonly [number, number] | null;

  /** `deferred`: the rule updates a copy of the weights (a synaptic tag per synapse), and the projection keeps
   * delivering the weights of the last consolidate() until the next. With the additive weight dependence the tag
   * sums the example's updates unclipped and the bounds apply to the consolidated weight, so that an update and its
   * opposite within one example cancel even at a bound (clipped per update, a weight at w_min would keep the
   * nudged phase's rise and lose the free phase's fall: a drift up from the bound with no signal at all). The
   * multiplicative dependence reads the bounds at every update and keeps them there. */
  constructor(projection: Projection, spec: PlasticitySpec, deferred = false) {
    const atConsolidation = deferred && spec.weight_dependence === 'additive';
    super(projection, atConsolidation ? { ...spec, w_min_mv: -Infinity, w_max_mv: Infinity } : spec);
    this.bounds = atConsolidation ? [spec.w_min_mv, spec.w_max_mv] : null;
    this.tagged = deferred ? projection.weight.slice() : null;
    if (this.tagged) this.weight = this.tagged;
  }

  /** Tags start from the delivered weights (call before an example: weights written from outside count). */
  retag(): void {
    if (this.tagged) this.tagged.set(this.projection.weight);
  }

  /** Delivered weights become the tagged ones (a no-op without deferral). */
  consolidate(): void {
    const tag = this.tagged;
    if (!tag) return;
    if (this.bounds) {
      const [lo, hi] = this.bounds;
      for (let k = 0; k < tag.length; k++) tag[k] = tag[k] < lo ? lo : tag[k] > hi ? hi : tag[k];
    }
    this.projection.weight.set(tag);
  }

  /** Wires the rule to its projection's arrivals and its target's spikes. */
  attach(): this {
    this.projection.plasticity = this;
    this.projection.target.addListener(this);
    return this;
  }
}
