/**
 * NEST's models in a SONATA circuit, back to chronoprop's: the inverse of sonata-export.ts's mapping.
 *
 *   nest:iaf_psc_exp_ps, nest:iaf_psc_exp  ->  lif with exponential currents (iaf_psc_exp is NEST's grid-bound
 *                                              version of the same equations; chronoprop runs both exactly)
 *   nest:iaf_psc_delta                     ->  lif with voltage jumps (tau_syn_exc_ms = tau_syn_inh_ms = 0)
 *   nest:iaf_psc_alpha_ps, nest:iaf_psc_alpha  ->  alpha_lif (models/alpha-lif.ts: NEST's iaf_psc_alpha equations, an
 *                                              input of w pA a current peaking at w at t = tau_syn; the grid-bound
 *                                              iaf_psc_alpha runs with exact spike times, as iaf_psc_exp does)
 *   static_synapse                         ->  a projection without plasticity
 *   stdp_synapse (mu_plus = mu_minus = 0 or 1)  ->  stdp, all-to-all, antisymmetric, additive or multiplicative, w_min 0
 *
 * With R = tau_m / C_m (chronoprop's currents are in mV, R times current): E_L -> v_rest_mv, V_reset, V_th, t_ref,
 * tau_m, tau_syn_ex/in as they are; I_e = i_bias_mv C_m / tau_m; a weight of w mV is w C_m / tau_m pA (mV for
 * iaf_psc_delta); NEST's stdp_synapse: a_plus = lambda w_max, a_minus = alpha a_plus, w_max = Wmax R, tau_minus from
 * the target neuron. Each value is undone exactly where the exporter wrote it (math/exact-inverse.ts). A parameter
 * missing from a dynamics_params file takes NEST's default (NEST 3 model documentation), as NEST would.
 */
import { join } from 'node:path';
import { invertExactly } from '../math/exact-inverse.js';
import { readJsonFile, refuse } from '../formats/sonata-read.js';
import type { PlasticitySpec } from './schema.js';

const LIF_DEFAULTS = { C_m: 250, tau_m: 10, E_L: -70, V_reset: -70, V_th: -55, t_ref: 2, I_e: 0, tau_minus: 20 };
const EXP_DEFAULTS = { ...LIF_DEFAULTS, tau_syn_ex: 2, tau_syn_in: 2 };
/** NEST 3's iaf_psc_alpha(_ps) defaults are iaf_psc_exp's (tau_syn_ex = tau_syn_in = 2 ms). */
const NEURON_TEMPLATES: Record<string, { kind: 'exp' | 'delta' | 'alpha'; defaults: Record<string, number> }> = {
  'nest:iaf_psc_exp_ps': { kind: 'exp', defaults: EXP_DEFAULTS },
  'nest:iaf_psc_exp': { kind: 'exp', defaults: EXP_DEFAULTS },
  'nest:iaf_psc_delta': { kind: 'delta', defaults: LIF_DEFAULTS },
  'nest:iaf_psc_alpha_ps': { kind: 'alpha', defaults: EXP_DEFAULTS },
  'nest:iaf_psc_alpha': { kind: 'alpha', defaults: EXP_DEFAULTS },
};
/** NEST's models that run on its time grid; chronoprop runs their equations with exact spike times. */
export const GRID_TEMPLATES = new Set(['nest:iaf_psc_exp', 'nest:iaf_psc_alpha']);
const STDP_DEFAULTS = { tau_plus: 20, lambda: 0.01, alpha: 1, mu_plus: 1, mu_minus: 1, Wmax: 100 };

export interface NeuronMapping {
  /** chronoprop's model: lif (exponential currents or voltage jumps) or alpha_lif. */
  model: 'lif' | 'alpha_lif';
  /** exp, delta or alpha: node types of one chronoprop population share it. */
  kind: 'exp' | 'delta' | 'alpha';
  params: Record<string, number>;
  /** The initial potential the dynamics_params give (V_m), else NEST's: E_L. */
  vInit: number;
  /** What chronoprop's weight in mV becomes in the file's syn_weight (pA per mV, or 1 for voltage jumps). */
  toSynWeight: (w: number) => number;
  /** The neuron's tau_minus (NEST keeps STDP's post trace on the neuron). */
  tauMinus: number;
  template: string;
}

/** The numbers of a dynamics_params JSON file, each key one the template knows. */
export function dynamicsOf(dir: string | null, name: string | undefined, allowed: Record<string, number>, what: string, typesFile: string): Record<string, number> {
  if (name === undefined || name === 'NONE' || name === '') return { ...allowed };
  if (dir === null) refuse(typesFile, `dynamics_params ${name}`, `components.${what} in the circuit config to find it in`, 'none');
  const file = join(dir, name);
  const raw = readJsonFile(file, 'dynamics_params');
  const out = { ...allowed };
  for (const [k, v] of Object.entries(raw)) {
    if (!Object.hasOwn(allowed, k)) refuse(file, k, `one of ${Object.keys(allowed).join(', ')}`, `${k} (a parameter chronoprop's model lacks)`);
    if (typeof v !== 'number' || !Number.isFinite(v)) refuse(file, k, 'a finite number', JSON.stringify(v));
    out[k] = v;
  }
  return out;
}

export function mapNeuron(row: Record<string, string>, typesFile: string, modelsDir: string | null): NeuronMapping {
  const template = row.model_template;
  const t = NEURON_TEMPLATES[template];
  if (!t) refuse(typesFile, `model_template of node type ${row.node_type_id}`, `one of ${Object.keys(NEURON_TEMPLATES).join(', ')}`, template === undefined ? 'none (no model_template column)' : template);
  const d = dynamicsOf(modelsDir, row.dynamics_params, { ...t.defaults, V_m: NaN }, 'point_neuron_models_dir', typesFile);
  const file = modelsDir !== null && row.dynamics_params !== 'NONE' ? join(modelsDir, row.dynamics_params) : typesFile;
  // The unit conversions divide by these; every other value is checked as a scenario's (validate.ts).
  if (!(d.C_m > 0)) refuse(file, 'C_m', 'a capacitance > 0 (pF)', String(d.C_m));
  if (!(d.tau_m > 0)) refuse(file, 'tau_m', 'a time constant > 0 (ms)', String(d.tau_m));
  // Alpha currents are in pA as exponential ones are (peak w pA for an input of weight w): the same conversions.
  const exp = t.kind !== 'delta';
  const scale = d.C_m / d.tau_m;
  // The exporter's forward expressions (sonata-export.ts), undone exactly.
  const fromMv = exp ? (w: number) => w * scale : (w: number) => (w * d.C_m) / d.tau_m;
  const toSynWeight = exp ? (w: number) => w * scale : (w: number) => w;
  return {
    template,
    model: t.kind === 'alpha' ? 'alpha_lif' : 'lif',
    kind: t.kind,
    params: {
      tau_m_ms: d.tau_m, v_rest_mv: d.E_L, v_reset_mv: d.V_reset, v_th_mv: d.V_th, t_ref_ms: d.t_ref,
      i_bias_mv: invertExactly(d.I_e, fromMv, (d.I_e * d.tau_m) / d.C_m),
      tau_syn_exc_ms: exp ? d.tau_syn_ex : 0, tau_syn_inh_ms: exp ? d.tau_syn_in : 0,
    },
    vInit: Number.isNaN(d.V_m) ? d.E_L : d.V_m,
    toSynWeight,
    tauMinus: d.tau_minus,
  };
}

/** chronoprop's weight in mV from a syn_weight, exactly where the exporter wrote it. */
export function weightMv(syn: number, target: NeuronMapping): number {
  const s = target.toSynWeight(1);
  return s === 1 ? syn : invertExactly(syn, target.toSynWeight, syn / s);
}

/** The projection's plasticity from its edge type (null: static_synapse). */
export function mapSynapse(row: Record<string, string>, typesFile: string, modelsDir: string | null, target: NeuronMapping): PlasticitySpec | null {
  const template = String(row.model_template).replace(/^nest:/, '');
  if (template === 'static_synapse') {
    dynamicsOf(modelsDir, row.dynamics_params, {}, 'synaptic_models_dir', typesFile);
    return null;
  }
  if (template !== 'stdp_synapse') refuse(typesFile, `model_template of edge type ${row.edge_type_id}`, 'static_synapse or stdp_synapse (the synapses chronoprop maps)', row.model_template === undefined ? 'none (no model_template column)' : row.model_template);
  const d = dynamicsOf(modelsDir, row.dynamics_params, STDP_DEFAULTS, 'synaptic_models_dir', typesFile);
  const file = modelsDir !== null && row.dynamics_params !== 'NONE' ? join(modelsDir, row.dynamics_params) : typesFile;
  if (d.mu_plus !== d.mu_minus || (d.mu_plus !== 0 && d.mu_plus !== 1)) {
    refuse(file, 'mu_plus, mu_minus', 'both 0 (additive) or both 1 (multiplicative), the weight dependences chronoprop has', `${d.mu_plus}, ${d.mu_minus}`);
  }
  if (!(d.Wmax > 0) || !(d.lambda > 0)) refuse(file, 'Wmax, lambda', 'both > 0', `${d.Wmax}, ${d.lambda}`);
  const scale = target.toSynWeight(1);
  const wMax = scale === 1 ? d.Wmax : invertExactly(d.Wmax, target.toSynWeight, d.Wmax / scale);
  const aPlus = invertExactly(d.lambda, (a) => a / wMax, d.lambda * wMax);
  const aMinus = invertExactly(d.alpha, (a) => a / aPlus, d.alpha * aPlus);
  return {
    rule: 'stdp', a_plus: aPlus, a_minus: aMinus, tau_plus_ms: d.tau_plus, tau_minus_ms: target.tauMinus,
    pairing: 'all_to_all', weight_dependence: d.mu_plus === 1 ? 'multiplicative' : 'additive', window: 'antisymmetric', sign: 1,
    w_min_mv: 0, w_max_mv: wMax,
  } as PlasticitySpec;
}
