/**
 * `alpha_lif`: leaky integrate-and-fire with alpha-shaped synaptic currents, integrated exactly (NEST's
 * iaf_psc_alpha; Rotter & Diesmann 1999).
 *
 *     tau_m dv/dt = v_rest - v + i_exc + i_inh + i_bias
 *     tau_s di_s/dt = e g_s - i_s,   tau_s dg_s/dt = -g_s          (s = exc, inh; e = 2.718...)
 *     v >= v_th  ->  spike; v = v_reset, held for t_ref (the currents evolve)
 *
 * An input of weight w makes g_s jump by w, so the current is i_s(t) = w (t / tau_s) e^{1 - t / tau_s}: an alpha
 * function peaking at w (mV) at t = tau_s. Each receptor's pair has the repeated eigenvalue -1/tau_s (a Jordan block),
 * so the trajectory has t e^{-t/tau_s} terms; when tau_s = tau_m, t^2 e^{-t/tau_m} ones. Integration, crossings and
 * refractoriness as for every linear model (docs/models.md).
 *
 * | name           | unit | default | meaning                              |
 * |----------------|------|---------|--------------------------------------|
 * | tau_m_ms       | ms   | 20      | membrane time constant               |
 * | v_rest_mv      | mV   | -70     | resting potential                    |
 * | v_reset_mv     | mV   | -70     | reset potential                      |
 * | v_th_mv        | mV   | -50     | threshold                            |
 * | t_ref_ms       | ms   | 2       | refractory period                    |
 * | i_bias_mv      | mV   | 0       | constant input                       |
 * | tau_syn_exc_ms | ms   | 2       | excitatory alpha time to peak        |
 * | tau_syn_inh_ms | ms   | 5       | inhibitory alpha time to peak        |
 *
 * State: v_mv, i_exc_mv, g_exc_mv, i_inh_mv, g_inh_mv. Receptors: exc (g_exc_mv), inh (g_inh_mv). Emits spikes.
 */
import { linearModel } from './linear.js';

export const alphaLifDefinition = {
  equations: [
    'dv_mv/dt = (v_rest_mv - v_mv + i_exc_mv + i_inh_mv + i_bias_mv) / tau_m_ms',
    'di_exc_mv/dt = (2.718281828459045 * g_exc_mv - i_exc_mv) / tau_syn_exc_ms',
    'dg_exc_mv/dt = -g_exc_mv / tau_syn_exc_ms',
    'di_inh_mv/dt = (2.718281828459045 * g_inh_mv - i_inh_mv) / tau_syn_inh_ms',
    'dg_inh_mv/dt = -g_inh_mv / tau_syn_inh_ms',
  ],
  threshold: 'v_mv >= v_th_mv',
  reset: ['v_mv = v_reset_mv'],
  refractory_ms: 't_ref_ms',
  receptors: { exc: 'g_exc_mv', inh: 'g_inh_mv' },
  initial: { v_mv: 'v_rest_mv' },
};

export const alphaLif = linearModel({
  name: 'alpha_lif',
  summary: 'LIF with alpha-shaped synaptic currents, exact threshold crossings',
  params: {
    tau_m_ms: { default: 20, unit: 'ms', doc: 'membrane time constant', min: 0, exclusive: true },
    v_rest_mv: { default: -70, unit: 'mV', doc: 'resting potential' },
    v_reset_mv: { default: -70, unit: 'mV', doc: 'reset potential' },
    v_th_mv: { default: -50, unit: 'mV', doc: 'threshold' },
    t_ref_ms: { default: 2, unit: 'ms', doc: 'refractory period', min: 0 },
    i_bias_mv: { default: 0, unit: 'mV', doc: 'constant input, R times bias current' },
    tau_syn_exc_ms: { default: 2, unit: 'ms', doc: 'excitatory alpha time to peak', min: 0, exclusive: true },
    tau_syn_inh_ms: { default: 5, unit: 'ms', doc: 'inhibitory alpha time to peak', min: 0, exclusive: true },
  },
  state: {
    v_mv: { unit: 'mV', doc: 'membrane potential' },
    i_exc_mv: { unit: 'mV', doc: 'excitatory synaptic current (R times current)' },
    g_exc_mv: { unit: 'mV', doc: 'excitatory alpha auxiliary variable' },
    i_inh_mv: { unit: 'mV', doc: 'inhibitory synaptic current (R times current)' },
    g_inh_mv: { unit: 'mV', doc: 'inhibitory alpha auxiliary variable' },
  },
  definition: alphaLifDefinition,
});
