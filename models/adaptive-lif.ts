/**
 * `adaptive_lif`: leaky integrate-and-fire with an adaptation current, subthreshold (a) and spike-triggered (b),
 * integrated exactly (the linear part of Brette & Gerstner's 2005 AdEx, without the exponential spike; Izhikevich's
 * and Gerstner's "LIF with adaptation", Gerstner et al. 2014, ch. 6).
 *
 *     tau_m dv/dt = v_rest - v + i_exc + i_inh - w + i_bias
 *     tau_w dw/dt = a (v - v_rest) - w
 *     tau_syn_exc di_exc/dt = -i_exc,   tau_syn_inh di_inh/dt = -i_inh
 *     v >= v_th  ->  spike; v = v_reset, w = w + b; v held at v_reset for t_ref (w and the currents evolve)
 *
 * All terms in mV (R times current; w is R times the adaptation current). The v-w pair has real eigenvalues only
 * when (1/tau_w - 1/tau_m)^2 >= 4 a / (tau_m tau_w) (with the defaults: a <= 0.8); larger a gives damped
 * oscillations, which the linear machinery refuses (models/linear.ts). Integration, crossings and refractoriness as
 * for every linear model (docs/models.md).
 *
 * | name           | unit | default | meaning                                            |
 * |----------------|------|---------|----------------------------------------------------|
 * | tau_m_ms       | ms   | 20      | membrane time constant                             |
 * | v_rest_mv      | mV   | -70     | resting potential                                  |
 * | v_reset_mv     | mV   | -65     | reset potential                                    |
 * | v_th_mv        | mV   | -50     | threshold                                          |
 * | t_ref_ms       | ms   | 2       | refractory period                                  |
 * | i_bias_mv      | mV   | 0       | constant input                                     |
 * | tau_syn_exc_ms | ms   | 5       | excitatory synaptic time constant                  |
 * | tau_syn_inh_ms | ms   | 10      | inhibitory synaptic time constant                  |
 * | tau_w_ms       | ms   | 100     | adaptation time constant                           |
 * | a              | 1    | 0.5     | subthreshold adaptation (mV of w per mV of v)      |
 * | b_mv           | mV   | 2       | spike-triggered adaptation increment               |
 *
 * State: v_mv, i_exc_mv, i_inh_mv, w_mv. Receptors: exc (i_exc_mv), inh (i_inh_mv). Emits spikes.
 */
import { linearModel } from './linear.js';

export const adaptiveLifDefinition = {
  equations: [
    'dv_mv/dt = (v_rest_mv - v_mv + i_exc_mv + i_inh_mv - w_mv + i_bias_mv) / tau_m_ms',
    'di_exc_mv/dt = -i_exc_mv / tau_syn_exc_ms',
    'di_inh_mv/dt = -i_inh_mv / tau_syn_inh_ms',
    'dw_mv/dt = (a * (v_mv - v_rest_mv) - w_mv) / tau_w_ms',
  ],
  threshold: 'v_mv >= v_th_mv',
  reset: ['v_mv = v_reset_mv', 'w_mv = w_mv + b_mv'],
  refractory_ms: 't_ref_ms',
  receptors: { exc: 'i_exc_mv', inh: 'i_inh_mv' },
  initial: { v_mv: 'v_rest_mv' },
};

export const adaptiveLif = linearModel({
  name: 'adaptive_lif',
  summary: 'LIF with subthreshold and spike-triggered adaptation, exact threshold crossings',
  params: {
    tau_m_ms: { default: 20, unit: 'ms', doc: 'membrane time constant', min: 0, exclusive: true },
    v_rest_mv: { default: -70, unit: 'mV', doc: 'resting potential' },
    v_reset_mv: { default: -65, unit: 'mV', doc: 'reset potential' },
    v_th_mv: { default: -50, unit: 'mV', doc: 'threshold' },
    t_ref_ms: { default: 2, unit: 'ms', doc: 'refractory period', min: 0 },
    i_bias_mv: { default: 0, unit: 'mV', doc: 'constant input, R times bias current' },
    tau_syn_exc_ms: { default: 5, unit: 'ms', doc: 'excitatory synaptic time constant', min: 0, exclusive: true },
    tau_syn_inh_ms: { default: 10, unit: 'ms', doc: 'inhibitory synaptic time constant', min: 0, exclusive: true },
    tau_w_ms: { default: 100, unit: 'ms', doc: 'adaptation time constant', min: 0, exclusive: true },
    a: { default: 0.5, unit: '1', doc: 'subthreshold adaptation, mV of w per mV of v' },
    b_mv: { default: 2, unit: 'mV', doc: 'spike-triggered adaptation increment' },
  },
  state: {
    v_mv: { unit: 'mV', doc: 'membrane potential' },
    i_exc_mv: { unit: 'mV', doc: 'excitatory synaptic input (R times current)' },
    i_inh_mv: { unit: 'mV', doc: 'inhibitory synaptic input (R times current)' },
    w_mv: { unit: 'mV', doc: 'adaptation (R times current)' },
  },
  definition: adaptiveLifDefinition,
});
