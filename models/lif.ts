/**
 * `lif`: leaky integrate-and-fire neuron with exponential or delta synapses, integrated exactly.
 *
 *     tau_m dv/dt = v_rest - v + i_exc + i_inh + i_bias          (all terms in mV: R times current)
 *     tau_syn_exc di_exc/dt = -i_exc,   tau_syn_inh di_inh/dt = -i_inh
 *     v >= v_th  ->  spike at that exact time; v = v_reset, held there for t_ref
 *
 * A presynaptic spike of weight w on receptor r makes i_r jump by w (exponential synapse), or, when that receptor's
 * time constant is 0, makes v jump by w (delta synapse). During the refractory period v is clamped: delta inputs are
 * discarded (as NEST's iaf_psc_delta does) while synaptic currents keep decaying and accumulating.
 *
 * Between events, with v_inf = v_rest + i_bias and K_s = tau_s / (tau_s - tau_m), the state after a time h is
 *
 *     v(h) = v_inf + (v0 - v_inf) e^{-h/tau_m} + sum_s i_s0 K_s (e^{-h/tau_s} - e^{-h/tau_m})
 *     (tau_s = tau_m: the term becomes i_s0 (h/tau_m) e^{-h/tau_m}; a tau_s within 1e-4 of tau_m but not equal to it
 *     is refused, since K_s's two terms cancel there: NEAR_TAU, docs/limits.md)
 *
 * so v - v_th is an exponential polynomial, and its first root is found exactly (src/math/exp-sum.ts), not sampled.
 * When tau_m / tau_s is an integer q_s >= 2 for each current receptor (CUBA: 4 and 2), e^{-h/tau_s} = z^{q_s} with
 * z = e^{-h/tau_m}, so v - v_th is a polynomial in z, isolated as one (src/math/poly-root.ts) with no exponential per
 * evaluation, and h = -tau_m ln z (Brette 2007).
 * An input of weight w > 0 can only bring the crossing earlier and w < 0 only later (each input's response kernel
 * has the sign of w), so inhibition never re-predicts: the earlier, stale event re-checks when it pops.
 * Far from threshold the model does not solve at all: it returns a check time, a lower bound on the crossing from a
 * piecewise-linear upper bound on v (see relaxationArg and linearBound), rounded down to a grid of tau_m / 2 (so
 * that most inputs that bring the bound earlier leave it after the check), and looks again when that time comes or an
 * input arrives.
 * Only within `nearMs` of a possible crossing is the root isolated exactly, starting from the bound.
 *
 * | name           | unit | default | meaning                                   |
 * |----------------|------|---------|-------------------------------------------|
 * | tau_m_ms       | ms   | 20      | membrane time constant                    |
 * | v_rest_mv      | mV   | -70     | resting potential                         |
 * | v_reset_mv     | mV   | -70     | reset potential after a spike             |
 * | v_th_mv        | mV   | -50     | threshold                                 |
 * | t_ref_ms       | ms   | 2       | absolute refractory period                |
 * | i_bias_mv      | mV   | 0       | constant input (R times bias current)     |
 * | tau_syn_exc_ms | ms   | 5       | excitatory synaptic time constant (0: delta synapse) |
 * | tau_syn_inh_ms | ms   | 10      | inhibitory synaptic time constant (0: delta synapse) |
 *
 * State: v_mv, i_exc_mv, i_inh_mv. Receives weights in mV on receptors exc and inh; emits spikes.
 * References: Rotter & Diesmann 1999 (exact integration); Brette 2007 (exact simulation with exponential currents);
 * Krishnan et al. 2018 (NEST iaf_psc_exp_ps_lossless).
 *
 * The code, one part per file in models/lif/: layout.ts (the record of 8 doubles per neuron, the scratch registers,
 * the tuned numbers), relax.ts (derived parameters and the closed-form relaxation), bounds.ts (lower bounds on the
 * crossing), roots.ts (root solving), group.ts (the event handlers, the hot input loop among them).
 */
import type { NeuronModel, Params } from '../src/neurons/model.js';
import { LifGroup } from './lif/group.js';

export const lif: NeuronModel = {
  name: 'lif',
  summary: 'Leaky integrate-and-fire, exponential or delta synapses, exact threshold crossings',
  params: {
    tau_m_ms: { default: 20, unit: 'ms', doc: 'membrane time constant', min: 0, exclusive: true },
    v_rest_mv: { default: -70, unit: 'mV', doc: 'resting potential' },
    v_reset_mv: { default: -70, unit: 'mV', doc: 'reset potential' },
    v_th_mv: { default: -50, unit: 'mV', doc: 'threshold' },
    t_ref_ms: { default: 2, unit: 'ms', doc: 'absolute refractory period', min: 0 },
    i_bias_mv: { default: 0, unit: 'mV', doc: 'constant input, R times bias current' },
    tau_syn_exc_ms: { default: 5, unit: 'ms', doc: 'excitatory synaptic time constant (0: delta)', min: 0 },
    tau_syn_inh_ms: { default: 10, unit: 'ms', doc: 'inhibitory synaptic time constant (0: delta)', min: 0 },
  },
  state: {
    v_mv: { unit: 'mV', doc: 'membrane potential' },
    i_exc_mv: { unit: 'mV', doc: 'excitatory synaptic input (R times current)' },
    i_inh_mv: { unit: 'mV', doc: 'inhibitory synaptic input (R times current)' },
  },
  check(p: Params) {
    if (!(p.v_reset_mv < p.v_th_mv)) return ['v_reset_mv', `must be < v_th_mv (${p.v_th_mv}), got ${p.v_reset_mv}`];
    for (const k of ['tau_syn_exc_ms', 'tau_syn_inh_ms']) {
      if (nearlyEqual(p[k], p.tau_m_ms)) {
        const d = NEAR_TAU * p.tau_m_ms;
        return [k, `must equal tau_m_ms (${p.tau_m_ms}) or differ from it by at least ${NEAR_TAU} of it (outside (${p.tau_m_ms - d}, ${p.tau_m_ms + d})): nearer, the closed form cancels (docs/limits.md), got ${p[k]}`];
      }
    }
    return null;
  },
  create: (size, p) => new LifGroup(size, p),
};

/**
 * Synaptic time constants closer to tau_m than this fraction of it, but not equal, are refused: the PSP
 * K (e^{-h/tau_s} - e^{-h/tau_m}) with K = tau_s / (tau_s - tau_m) loses about eps / |1 - tau_s / tau_m| of its value
 * to cancellation. Measured (one input, tau_m 20 ms, weights 60 to 1e6 mV): at a relative gap of 1e-4 spike times
 * stay within 8e-12 ms of the closed form; at 1e-6, 3e-9 ms off; at 1e-10, 6e-5 ms; at 1e-15, 1 ms early; at 3e-5
 * with 1e6 mV the noise in v outgrew the rise per ulp of time and the neuron was re-checked ulp by ulp.
 */
const NEAR_TAU = 1e-4;

/** tau_s is not tau_m but within NEAR_TAU of it (0, a delta synapse, is never near). */
function nearlyEqual(ts: number, tm: number): boolean {
  return ts !== tm && ts > 0 && Math.abs(ts - tm) < NEAR_TAU * tm;
}
