/**
 * A scenario's network as SONATA, for the simulators that scale (NEST under MPI through its SONATA loader, bmtk):
 *
 *   circuit_config.json, simulation_config.json, node_sets.json
 *   network/nodes.h5, network/node_types.csv     every population (sources as `virtual` nodes)
 *   network/edges.h5, network/edge_types.csv     every projection: each edge with its weight and delay
 *   components/point_neuron_models_dir/<population>.json, components/synaptic_models_dir/static.json
 *   inputs/<source>.h5                           each source's spikes over duration_ms, as SONATA spike files
 *
 * The network is built exactly as `chronoprop run` builds it (same seed, same named random streams), so the edges,
 * weights, delays and initial potentials are those of the run. Sources are run alone for duration_ms to record
 * their spikes: a source draws from its own stream (`source/<name>`), so its spikes are those of the full run.
 *
 * Model mapping (NEST units: pF, pA, mV, ms), with C_m = 250 pF (NEST's default) and chronoprop's currents in mV
 * (R times current): `tau_m dv/dt = v_rest - v + i` is NEST's `C_m dV/dt = -(C_m/tau_m)(V - E_L) + I` with
 * I = i C_m / tau_m, so an exponential-synapse weight w mV is w C_m / tau_m pA and i_bias_mv gives I_e the same way.
 *   lif, both receptors exponential  ->  nest:iaf_psc_exp_ps (precise spike times, as chronoprop's)
 *   lif, both receptors delta (0 ms) ->  nest:iaf_psc_delta (weights are voltage jumps in mV, as chronoprop's)
 * What does not map is listed in circuit_config.json's `chronoprop.not_mapped` (and returned): one receptor delta
 * and the other exponential; a projection whose weight sign disagrees with its receptor where the two time
 * constants differ (NEST picks the receptor by the sign); STDP other than stdpToNest maps (nearest pairing, other
 * windows or bounds: static_synapse with the initial weights) and, where it maps, the delay's place (NEST's is
 * dendritic, chronoprop's axonal); delays below NEST's resolution (0.1 ms; e.g. zero delays); models other than lif;
 * parameters that vary per neuron; short-term plasticity.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlasticitySpec, Scenario } from './schema.js';
import { Network } from './network.js';
import { writeSonataEdges, writeSonataNodes, type EdgePopulation, type NodePopulation } from '../formats/sonata-network.js';
import { writeSonataSpikes } from '../formats/sonata.js';
import type { SpikeTrains } from '../recording/spikes.js';
import { scenarioHash } from './runner.js';
import { perNeuronKeys } from '../neurons/neuron-params.js';

export const NEST_C_M_PF = 250;
/** The simulation_config.json time step (NEST's default resolution), ms. */
export const NEST_RESOLUTION_MS = 0.1;

interface NodeMapping {
  modelType: 'point_neuron' | 'virtual';
  template: string;
  dynamics: Record<string, number> | null;
  /** pA (or mV) per chronoprop mV of weight arriving on this population. */
  weightScale: number;
}

function mapPopulation(sc: Scenario, name: string, net: Network, notMapped: string[]): NodeMapping {
  const pop = net.populations.get(name);
  if (!pop) return { modelType: 'virtual', template: 'NONE', dynamics: null, weightScale: 1 };
  const spec = sc.populations.find((p) => p.name === name)!;
  if (spec.model !== 'lif') {
    notMapped.push(`populations.${name}: model ${spec.model} has no NEST counterpart here; written as chronoprop:${spec.model}`);
    return { modelType: 'point_neuron', template: `chronoprop:${spec.model}`, dynamics: null, weightScale: 1 };
  }
  const varying = perNeuronKeys(pop.values);
  if (varying.length > 0) {
    notMapped.push(`populations.${name}: parameters that vary per neuron (${varying.join(', ')}) are not exported; written as chronoprop:lif`);
    return { modelType: 'point_neuron', template: 'chronoprop:lif', dynamics: null, weightScale: 1 };
  }
  const p = pop.params as Record<string, number>;
  const common = { C_m: NEST_C_M_PF, tau_m: p.tau_m_ms, E_L: p.v_rest_mv, V_reset: p.v_reset_mv, V_th: p.v_th_mv, t_ref: p.t_ref_ms };
  const exc = p.tau_syn_exc_ms;
  const inh = p.tau_syn_inh_ms;
  if (exc > 0 && inh > 0) {
    const scale = NEST_C_M_PF / p.tau_m_ms;
    return { modelType: 'point_neuron', template: 'nest:iaf_psc_exp_ps', dynamics: { ...common, tau_syn_ex: exc, tau_syn_in: inh, I_e: p.i_bias_mv * scale }, weightScale: scale };
  }
  if (exc === 0 && inh === 0) {
    // iaf_psc_delta: C_m dV/dt = -(C_m/tau_m)(V - E_L) + I_e, so I_e = i_bias C_m / tau_m too.
    return { modelType: 'point_neuron', template: 'nest:iaf_psc_delta', dynamics: { ...common, I_e: (p.i_bias_mv * NEST_C_M_PF) / p.tau_m_ms }, weightScale: 1 };
  }
  notMapped.push(`populations.${name}: one receptor delta (tau 0) and the other exponential; no NEST model has both; written as chronoprop:lif`);
  return { modelType: 'point_neuron', template: 'chronoprop:lif', dynamics: null, weightScale: 1 };
}

/**
 * nest:stdp_synapse parameters for chronoprop's STDP, or why they do not map. NEST's rule on w~ = w / Wmax:
 * w~ += lambda (1 - w~)^mu_plus K+ at a post spike, w~ -= alpha lambda w~^mu_minus K- at a pre spike, w~ in [0, 1],
 * traces +1 per spike (all-to-all). chronoprop's (docs/kernel.md): w += a_plus x F, w -= a_minus y F with F = 1
 * (additive) or the soft bounds (w_max - w)/R, (w - w_min)/R. With w_min = 0 they agree for lambda = a_plus / w_max,
 * alpha = a_minus / a_plus, mu = 0 (additive) or 1 (multiplicative), Wmax = w_max in NEST's units; tau_minus is the
 * postsynaptic neuron's parameter in NEST.
 */
export function stdpToNest(pl: PlasticitySpec, weightScale: number): { params: Record<string, number>; tauMinus: number } | string {
  if (pl.rule !== 'stdp') return `rule ${pl.rule}; only the pair rule maps onto nest:stdp_synapse`;
  if (pl.pairing !== 'all_to_all') return 'nearest-spike pairing; nest:stdp_synapse pairs all to all';
  if (pl.window !== 'antisymmetric' || pl.sign !== 1) return 'a symmetric or reversed window';
  if (pl.w_min_mv !== 0 || !(pl.w_max_mv > 0)) return `bounds [${pl.w_min_mv}, ${pl.w_max_mv}] mV; nest:stdp_synapse keeps weights in [0, Wmax]`;
  if (pl.a_plus === 0) return 'a_plus = 0; nest:stdp_synapse scales depression by alpha = a_minus / a_plus';
  const mu = pl.weight_dependence === 'multiplicative' ? 1 : 0;
  return {
    params: { tau_plus: pl.tau_plus_ms, lambda: pl.a_plus / pl.w_max_mv, alpha: pl.a_minus / pl.a_plus, mu_plus: mu, mu_minus: mu, Wmax: pl.w_max_mv * weightScale },
    tauMinus: pl.tau_minus_ms,
  };
}

/** Every synapse of a projection in storage order: pre, post, weight (mV), delay (ms). */
export function projectionEdges(net: Network, name: string): { pre: Int32Array; post: Int32Array; weight: Float64Array; delay: Float64Array } {
  const pr = net.projections.get(name)!;
  const pre = new Int32Array(pr.count);
  const delay = new Float64Array(pr.count);
  for (let g = 0; g < pr.nGroups; g++) {
    for (let m = pr.groupStart[g]; m < pr.groupStart[g + 1]; m++) {
      pre[m] = pr.groupPre[g];
      delay[m] = pr.groupDelay[g];
    }
  }
  return { pre, post: Int32Array.from(pr.post), weight: Float64Array.from(pr.weight), delay };
}

/** Each source's spikes over the scenario's duration, from the sources alone (their own random streams). */
function sourceSpikes(sc: Scenario, sources: string[]): Map<string, SpikeTrains> {
  const alone: Scenario = {
    ...sc,
    populations: sc.populations.filter((p) => sources.includes(p.name)),
    projections: [],
    record: { spikes: sources, state: [], weights: [] },
  };
  const net = new Network(alone);
  net.run(sc.duration_ms);
  return new Map(sources.map((s) => [s, net.spikes.get(s)!.sorted()]));
}

export interface SonataExport {
  dir: string;
  notMapped: string[];
  nodes: number;
  edges: number;
}

/** Writes the SONATA files of a validated scenario into `dir` (which must exist and be empty). */
export async function exportSonata(sc: Scenario, dir: string): Promise<SonataExport> {
  const net = new Network(sc);
  const notMapped: string[] = [];
  for (const d of ['network', 'inputs', 'components/point_neuron_models_dir', 'components/synaptic_models_dir']) mkdirSync(join(dir, d), { recursive: true });
  const names = sc.populations.map((p) => p.name);
  const mapping = new Map(names.map((n) => [n, mapPopulation(sc, n, net, notMapped)]));
  const nodes: NodePopulation[] = names.map((name, k) => ({ name, size: sc.populations[k].size, nodeTypeId: 100 + k }));
  const initial = new Map<string, Float64Array>();
  for (const [name, pop] of net.populations) if (pop.group.state.v_mv) initial.set(name, Float64Array.from({ length: pop.size }, (_, i) => pop.group.state.v_mv.get(i)));
  await writeSonataNodes(join(dir, 'network/nodes.h5'), nodes, initial);
  const tauMinus = new Map<string, number>();
  const edges: EdgePopulation[] = [];
  const edgeTypes = ['edge_type_id model_template dynamics_params receptor chronoprop_plasticity'];
  sc.projections.forEach((pr, k) => {
    const e = projectionEdges(net, pr.name);
    const scale = mapping.get(pr.to)!.weightScale;
    const p = net.populations.get(pr.to)!.values;
    const wrongSign = [...e.weight].some((w) => (pr.receptor === 'exc' ? w < 0 : w > 0));
    if (wrongSign && p.tau_syn_exc_ms !== p.tau_syn_inh_ms) {
      notMapped.push(`projections.${pr.name}: weights of the sign opposite to receptor ${pr.receptor}; NEST routes by sign, to the other time constant`);
    }
    if (pr.short_term) notMapped.push(`projections.${pr.name}: short-term plasticity (${pr.short_term.rule}) not exported; edges deliver their weights unscaled`);
    if ([...e.delay].some((d) => d < NEST_RESOLUTION_MS)) notMapped.push(`projections.${pr.name}: delays below NEST's resolution (${NEST_RESOLUTION_MS} ms); NEST needs delays of at least one step`);
    let template = 'static_synapse';
    let dynamics = 'static.json';
    if (pr.plasticity) {
      const m = stdpToNest(pr.plasticity, scale);
      const prev = tauMinus.get(pr.to);
      if (typeof m === 'string') {
        notMapped.push(`projections.${pr.name}: plasticity not exported (${m}); edges are static_synapse with the initial weights`);
      } else if (prev !== undefined && prev !== m.tauMinus) {
        notMapped.push(`projections.${pr.name}: tau_minus_ms ${m.tauMinus} differs from another plastic projection onto ${pr.to} (${prev}); NEST keeps one tau_minus per neuron; edges are static_synapse`);
      } else {
        tauMinus.set(pr.to, m.tauMinus);
        template = 'stdp_synapse';
        dynamics = `${pr.name}.json`;
        writeFileSync(join(dir, 'components/synaptic_models_dir', dynamics), JSON.stringify(m.params, null, 2) + '\n');
        if ([...e.delay].some((d) => d > 0)) {
          notMapped.push(`projections.${pr.name}: nest:stdp_synapse takes the delay as dendritic, chronoprop as axonal, so NEST pairs spikes offset by twice the delay`);
        }
      }
    }
    edges.push({ name: pr.name, source: pr.from, target: pr.to, edgeTypeId: 100 + k, pre: e.pre, post: e.post, weightMv: e.weight, delayMs: e.delay, synWeight: e.weight.map((w) => w * scale) });
    edgeTypes.push(`${100 + k} ${template} ${dynamics} ${pr.receptor} ${pr.plasticity ? pr.plasticity.rule : 'NONE'}`);
  });
  const nodeTypes = ['node_type_id model_type model_template dynamics_params pop_name'];
  for (const n of nodes) {
    const m = mapping.get(n.name)!;
    const dyn = m.dynamics ? `${n.name}.json` : 'NONE';
    const tm = tauMinus.get(n.name);
    if (m.dynamics) writeFileSync(join(dir, 'components/point_neuron_models_dir', dyn), JSON.stringify(tm === undefined ? m.dynamics : { ...m.dynamics, tau_minus: tm }, null, 2) + '\n');
    nodeTypes.push(`${n.nodeTypeId} ${m.modelType} ${m.template} ${dyn} ${n.name}`);
  }
  writeFileSync(join(dir, 'network/node_types.csv'), nodeTypes.join('\n') + '\n');

  await writeSonataEdges(join(dir, 'network/edges.h5'), edges);
  writeFileSync(join(dir, 'network/edge_types.csv'), edgeTypes.join('\n') + '\n');
  writeFileSync(join(dir, 'components/synaptic_models_dir/static.json'), '{}\n');

  const sources = names.filter((n) => !net.populations.has(n));
  const spikes = sourceSpikes(sc, sources);
  for (const [name, tr] of spikes) await writeSonataSpikes(join(dir, 'inputs', `${name}.h5`), new Map([[name, tr]]));

  const circuit = {
    manifest: { $BASE_DIR: '.', $NETWORK_DIR: '$BASE_DIR/network', $COMPONENTS_DIR: '$BASE_DIR/components' },
    components: { point_neuron_models_dir: '$COMPONENTS_DIR/point_neuron_models_dir', synaptic_models_dir: '$COMPONENTS_DIR/synaptic_models_dir' },
    networks: {
      nodes: [{ nodes_file: '$NETWORK_DIR/nodes.h5', node_types_file: '$NETWORK_DIR/node_types.csv' }],
      edges: [{ edges_file: '$NETWORK_DIR/edges.h5', edge_types_file: '$NETWORK_DIR/edge_types.csv' }],
    },
    chronoprop: { format: 'chronoprop-sonata/1', scenario: sc.name, seed: sc.seed, scenario_sha256: scenarioHash(sc), c_m_pf: NEST_C_M_PF, not_mapped: notMapped },
  };
  writeFileSync(join(dir, 'circuit_config.json'), JSON.stringify(circuit, null, 2) + '\n');
  writeFileSync(join(dir, 'node_sets.json'), JSON.stringify(Object.fromEntries(names.map((n) => [n, { population: n }])), null, 2) + '\n');
  const simulation = {
    manifest: { $BASE_DIR: '.', $OUTPUT_DIR: '$BASE_DIR/output' },
    target_simulator: 'NEST',
    network: 'circuit_config.json',
    node_sets_file: '$BASE_DIR/node_sets.json',
    run: { tstop: sc.duration_ms, dt: NEST_RESOLUTION_MS },
    inputs: Object.fromEntries(sources.map((s) => [`${s}_spikes`, { input_type: 'spikes', module: 'h5', input_file: `$BASE_DIR/inputs/${s}.h5`, node_set: s }])),
    output: { output_dir: '$OUTPUT_DIR', spikes_file: 'spikes.h5' },
  };
  writeFileSync(join(dir, 'simulation_config.json'), JSON.stringify(simulation, null, 2) + '\n');
  let edgeCount = 0;
  for (const e of edges) edgeCount += e.pre.length;
  return { dir, notMapped, nodes: nodes.reduce((n, p) => n + p.size, 0), edges: edgeCount };
}
