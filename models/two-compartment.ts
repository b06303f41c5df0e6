/**
 * `two_compartment`: a soma and a dendrite, each leaky, coupled linearly; spikes at the soma; inputs addressable to
 * either compartment. Integrated exactly (a passive two-compartment reduction, Rall 1964; Pinsky & Rinzel 1994
 * for the coupling form; Urbanczik & Senn 2014 use such a dendrite as a learning signal).
 *
 *     tau_m dv/dt   = v_rest - v   + g_sd (v_d - v) + i_exc + i_inh + i_bias
 *     tau_d dv_d/dt = v_rest - v_d + g_ds (v - v_d) + i_dend
 *     tau_syn_exc di_exc/dt = -i_exc,  tau_syn_inh di_inh/dt = -i_inh,  tau_syn_dend di_dend/dt = -i_dend
 *     v >= v_th  ->  spike; v = v_reset, held for t_ref (the dendrite and the currents evolve)
 *
 * All terms in mV. g_sd and g_ds are the coupling conductances relative to each compartment's leak (dimensionless);
 * the coupled pair always has real eigenvalues (its off-diagonal entries have the same sign). State v_d_mv can be
 * recorded by name like any variable.
 *
 * | name            | unit | default | meaning                                         |
 * |-----------------|------|---------|-------------------------------------------------|
 * | tau_m_ms        | ms   | 20      | somatic membrane time constant                  |
 * | tau_d_ms        | ms   | 30      | dendritic membrane time constant                |
 * | g_sd            | 1    | 1       | dendrite-to-soma coupling (relative to leak)    |
 * | g_ds            | 1    | 0.5     | soma-to-dendrite coupling (relative to leak)    |
 * | v_rest_mv       | mV   | -70     | resting potential (both compartments)           |
 * | v_reset_mv      | mV   | -65     | somatic reset potential                         |
 * | v_th_mv         | mV   | -50     | somatic threshold                               |
 * | t_ref_ms        | ms   | 2       | refractory period                               |
 * | i_bias_mv       | mV   | 0       | constant somatic input                          |
 * | tau_syn_exc_ms  | ms   | 5       | somatic excitatory synaptic time constant       |
 * | tau_syn_inh_ms  | ms   | 10      | somatic inhibitory synaptic time constant       |
 * | tau_syn_dend_ms | ms   | 5       | dendritic synaptic time constant                |
 *
 * State: v_mv, v_d_mv, i_exc_mv, i_inh_mv, i_dend_mv. Receptors: exc, inh (soma), dend (dendrite; the sign of the
 * weight says whether it depolarizes). Emits spikes.
 */
import { linearModel } from './linear.js';

export const twoCompartmentDefinition = {
  equations: [
    'dv_mv/dt = (v_rest_mv - v_mv + g_sd * (v_d_mv - v_mv) + i_exc_mv + i_inh_mv + i_bias_mv) / tau_m_ms',
    'dv_d_mv/dt = (v_rest_mv - v_d_mv + g_ds * (v_mv - v_d_mv) + i_dend_mv) / tau_d_ms',
    'di_exc_mv/dt = -i_exc_mv / tau_syn_exc_ms',
    'di_inh_mv/dt = -i_inh_mv / tau_syn_inh_ms',
    'di_dend_mv/dt = -i_dend_mv / tau_syn_dend_ms',
  ],
  threshold: 'v_mv >= v_th_mv',
  reset: ['v_mv = v_reset_mv'],
  refractory_ms: 't_ref_ms',
  receptors: { exc: 'i_exc_mv', inh: 'i_inh_mv', dend: 'i_dend_mv' },
  initial: { v_mv: 'v_rest_mv', v_d_mv: 'v_rest_mv' },
};

export const twoCompartment = linearModel({
  name: 'two_compartment',
  summary: 'Soma and dendrite coupled linearly, inputs to either, exact threshold crossings',
  params: {
    tau_m_ms: { default: 20, unit: 'ms', doc: 'somatic membrane time constant', min: 0, exclusive: true },
    tau_d_ms: { default: 30, unit: 'ms', doc: 'dendritic membrane time constant', min: 0, exclusive: true },
    g_sd: { default: 1, unit: '1', doc: 'dendrite-to-soma coupling, relative to the somatic leak', min: 0 },
    g_ds: { default: 0.5, unit: '1', doc: 'soma-to-dendrite coupling, relative to the dendritic leak', min: 0 },
    v_rest_mv: { default: -70, unit: 'mV', doc: 'resting potential' },
    v_reset_mv: { default: -65, unit: 'mV', doc: 'somatic reset potential' },
    v_th_mv: { default: -50, unit: 'mV', doc: 'somatic threshold' },
    t_ref_ms: { default: 2, unit: 'ms', doc: 'refractory period', min: 0 },
    i_bias_mv: { default: 0, unit: 'mV', doc: 'constant somatic input' },
    tau_syn_exc_ms: { default: 5, unit: 'ms', doc: 'somatic excitatory synaptic time constant', min: 0, exclusive: true },
    tau_syn_inh_ms: { default: 10, unit: 'ms', doc: 'somatic inhibitory synaptic time constant', min: 0, exclusive: true },
    tau_syn_dend_ms: { default: 5, unit: 'ms', doc: 'dendritic synaptic time constant', min: 0, exclusive: true },
  },
  state: {
    v_mv: { unit: 'mV', doc: 'somatic membrane potential' },
    v_d_mv: { unit: 'mV', doc: 'dendritic membrane potential' },
    i_exc_mv: { unit: 'mV', doc: 'somatic excitatory input' },
    i_inh_mv: { unit: 'mV', doc: 'somatic inhibitory input' },
    i_dend_mv: { unit: 'mV', doc: 'dendritic input' },
  },
  definition: twoCompartmentDefinition,
});
