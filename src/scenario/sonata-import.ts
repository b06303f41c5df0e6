/**
 * A SONATA circuit as a chronoprop scenario (`chronoprop import --sonata`): every node population a population,
 * every edge population a projection with its edges listed (connect rule `pairs`, one weight and delay per pair),
 * every spike input a `spike_source`. The result is a plain scenario file: it runs, sweeps and checkpoints as any
 * other, and its hash covers the whole network.
 *
 *   point_neuron, nest:iaf_psc_exp_ps / iaf_psc_exp / iaf_psc_delta  ->  lif (sonata-models.ts)
 *   virtual                                          ->  spike_source, its spikes from the simulation config's
 *                                                        spike inputs (none: a source that never spikes)
 *   static_synapse / stdp_synapse edges              ->  a projection, plasticity from the edge type
 *   run.tstop                                        ->  duration_ms
 *
 * Populations come in the order of their node type ids, projections in that of their edge type ids (the orders a
 * chronoprop export wrote them in, so that simultaneous events keep their order), names breaking ties. A receptor
 * is the edge type's `receptor` column (chronoprop's exports write it), else the weights' sign (as NEST routes
 * them). The weight is the exact `weight_mv` column where the file has one, checked against syn_weight, else
 * syn_weight converted back. Anything else stops the import with one line (formats/sonata-read.ts's refuse), as
 * does a scenario that does not validate (a negative tau_m, say), its line prefixed with the circuit config's path.
 *
 * A scenario's `from_sonata` fields (scenario/from-sonata.ts) import one population or projection at a time with
 * importNodePopulation and readEdgePopulation + sonataProjection: the same code, so the same values.
 */
import { basename, dirname } from 'node:path';
import { h5 } from '../formats/h5.js';
import { readSonataConfig, type SonataConfig } from '../formats/sonata-config.js';
import { onlyType, readEdgePops, readNodePops, readSpikeInput, type EdgePop, type NodePop } from '../formats/sonata-populations.js';
import { refuse } from '../formats/sonata-read.js';
import { GRID_TEMPLATES, mapNeuron, mapSynapse, weightMv, type NeuronMapping } from './sonata-models.js';
import type { ScenarioInput } from './schema.js';
import { validateScenario } from './validate.js';
import { ScenarioError } from './errors.js';

export type PopulationIn = NonNullable<ScenarioInput['populations']>[number];
export type ProjectionIn = NonNullable<ScenarioInput['projections']>[number];

export interface SonataImport {
  scenario: ScenarioInput;
  /** What the import did that a reader should know (printed by the command). */
  notes: string[];
  nodes: number;
  edges: number;
}

export interface ImportOptions {
  name?: string;
  seed?: number;
  durationMs?: number;
}

/** Populations by their (first) type id, names breaking ties: the order chronoprop's exporter numbers them in. */
const byType = (a: { types: Map<number, unknown>; name: string }, b: { types: Map<number, unknown>; name: string }) =>
  ([...a.types.keys()][0] ?? 0) - ([...b.types.keys()][0] ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** One value for all when they are all equal (a scenario's scalar form), else the list. */
const compact = (a: ArrayLike<number>): number | number[] => (a.length > 0 && Array.prototype.every.call(a, (x: number) => Object.is(x, a[0])) ? a[0] : Array.from(a));

/**
 * The neuron models of a population's nodes, one per node (its node type's mapping, shared by the nodes of a type);
 * null: virtual nodes (a spike source).
 */
export type NodeModels = NeuronMapping[] | null;

/** bmtk's built-in weight functions, each syn_weight x nsyns (bmtk/simulator/pointnet/default_setters/synaptic_weights.py). */
const BMTK_WEIGHT_FUNCTIONS = new Set(['wmax', 'default_weight_fnc', 'set_syn_weight']);

/** A node type's neuron model (null: virtual nodes, a spike source). */
function mapNodeType(row: Record<string, string>, typesFile: string, cfg: SonataConfig, notes: string[], pop: string): NeuronMapping | null {
  const morph = row.morphology;
  if (morph !== undefined && morph !== 'NONE' && morph !== '') refuse(typesFile, `morphology of node type ${row.node_type_id}`, 'NONE (chronoprop has point neurons only)', morph);
  const mt = row.model_type;
  let m: NeuronMapping | null = null;
  if (mt === 'point_neuron' || mt === 'point_process') m = mapNeuron(row, typesFile, cfg.neuronModelsDir);
  else if (mt !== 'virtual') refuse(typesFile, `model_type of node type ${row.node_type_id}`, 'point_neuron or virtual', String(mt));
  if (GRID_TEMPLATES.has(row.model_template)) notes.push(`${pop}: ${row.model_template} runs on NEST's time grid; chronoprop runs its equations with exact spike times`);
  return m;
}

/**
 * The models of the nodes of `p` at SONATA node ids `ids`: all virtual, or all point neurons of one kind (lif with
 * exponential currents, with voltage jumps, or alpha_lif), as one chronoprop population needs.
 */
function mapNodes(p: NodePop, ids: ArrayLike<number>, cfg: SonataConfig, notes: string[]): NodeModels {
  const byType = new Map<number, NeuronMapping | null>();
  for (const [id, row] of p.types) if (Array.prototype.some.call(ids, (k: number) => p.typeIds[k] === id)) byType.set(id, mapNodeType(row, p.typesFile, cfg, notes, p.name));
  const used = [...byType.entries()];
  const [id0, m0] = used[0] ?? [NaN, null];
  for (const [id, m] of used.slice(1)) {
    const what = (x: NeuronMapping | null) => (x === null ? 'virtual' : x.template);
    if ((m === null) !== (m0 === null) || (m && m0 && m.kind !== m0.kind)) {
      refuse(p.typesFile, `node types ${id0} and ${id} (in one population)`, 'all virtual, or point neurons of one chronoprop model (iaf_psc_exp(_ps), iaf_psc_delta or iaf_psc_alpha(_ps))', `${what(m0)} and ${what(m)}`);
    }
  }
  if (m0 === null) return null;
  return Array.from(ids, (k) => byType.get(p.typeIds[k])!);
}

/** A spike input must feed a whole population of virtual nodes (`models` null); undefined: no such population. */
function checkInput(cfg: SonataConfig, i: SonataConfig['inputs'][number], models: NodeModels | undefined, known: () => string[]): void {
  if (models === undefined) refuse(cfg.simulationFile!, `inputs.${i.name}.node_set`, `a node population (${known().join(', ')})`, i.population);
  if (models) refuse(cfg.simulationFile!, `inputs.${i.name}.node_set`, 'virtual nodes (chronoprop feeds spikes to sources, not to neurons)', `${i.population}, a population of point neurons`);
}

/** The population of the nodes of `p` at SONATA node ids `ids` (all of them, or a node_type_id selection). */
function population(p: NodePop, ids: ArrayLike<number>, models: NodeModels, cfg: SonataConfig): PopulationIn {
  if (models === null) {
    const input = cfg.inputs.filter((i) => i.population === p.name);
    const times: number[][] = Array.from({ length: p.size }, () => []);
    for (const i of input) readSpikeInput(i.file, p.name, p.size).forEach((l, k) => times[k].push(...l));
    if (input.length > 1) for (const l of times) l.sort((a, b) => a - b);
    return { name: p.name, model: 'spike_source', size: ids.length, params: { spike_times_ms: Array.from(ids, (k) => times[k]) } };
  }
  const keys = Object.keys(models[0]?.params ?? {});
  const params = Object.fromEntries(keys.map((key) => [key, compact(models.map((m) => m.params[key]))]));
  const vm = p.vm;
  const v = vm ? Float64Array.from(ids, (k) => vm[k]) : models.map((m) => m.vInit);
  return { name: p.name, model: models[0]?.model ?? 'lif', size: ids.length, params, init: { v_mv: compact(v) } };
}

/** The edge type of a projection's edges: one (`hint` says how a scenario selects one among several). */
function edgeType(e: EdgePop, hint: string): Record<string, string> {
  const row = onlyType(e, 'edge', hint);
  const f = row.weight_function;
  if (f !== undefined && f !== 'NONE' && !BMTK_WEIGHT_FUNCTIONS.has(f)) {
    refuse(e.typesFile, `weight_function of edge type ${row.edge_type_id}`, `none or one of bmtk's built-in ${[...BMTK_WEIGHT_FUNCTIONS].join(', ')} (syn_weight x nsyns; chronoprop runs no Python weight function)`, f);
  }
  return row;
}

function receptorOf(e: EdgePop, type: Record<string, string>): 'exc' | 'inh' {
  const r = type.receptor;
  if (r === 'exc' || r === 'inh') return r;
  if (r !== undefined && r !== 'NONE') refuse(e.typesFile, `receptor of edge type ${type.edge_type_id}`, 'exc or inh', r);
  const neg = e.synWeight.findIndex((w) => w < 0);
  const pos = e.synWeight.findIndex((w) => w > 0);
  const at = (k: number) => e.fileIndex?.[k] ?? k;
  if (neg >= 0 && pos >= 0) refuse(e.file, `edges/${e.name}/0/syn_weight`, 'one sign per edge population (no receptor column: the sign picks the receptor, as in NEST)', `${e.synWeight[pos]} at edge ${at(pos)} and ${e.synWeight[neg]} at edge ${at(neg)}`);
  return neg >= 0 ? 'inh' : 'exc';
}

/** What a scenario's from_sonata adds to an import of edges (scenario/from-sonata.ts). */
export interface ProjectionOptions {
  /** Ends the line refusing several edge types: how a scenario selects one. */
  typeHint?: string;
  /** The scenario gives delay_ms beside from_sonata: edges without a delay in the file are not refused. */
  delayGiven?: boolean;
}

/**
 * An edge population as a projection (from and to: the SONATA node populations' names). `sizes` and `maps` hold the
 * node populations it may name: their sizes, and their nodes' neuron models (a target node's gives its edges'
 * syn_weight units).
 */
export function sonataProjection(e: EdgePop, sizes: Map<string, number>, maps: Map<string, NodeModels>, cfg: SonataConfig, notes: string[], o: ProjectionOptions = {}): ProjectionIn {
  const at = `edges/${e.name}`;
  const fileIndex = (k: number) => e.fileIndex?.[k] ?? k;
  for (const [end, pop, ids] of [['source', e.source, e.pre], ['target', e.target, e.post]] as const) {
    const n = sizes.get(pop);
    if (n === undefined) refuse(e.file, `${at}/${end}_node_id attribute node_population`, `a node population (${[...sizes.keys()].join(', ')})`, pop);
    const k = ids.findIndex((i) => i >= n);
    if (k >= 0) refuse(e.file, `${at}/${end}_node_id[${fileIndex(k)}]`, `a node id < ${n} (size of ${pop})`, String(ids[k]));
  }
  const target = maps.get(e.target);
  if (!target) refuse(e.file, `${at}/target_node_id attribute node_population`, 'a population of point neurons (virtual nodes receive nothing)', e.target);
  const type = edgeType(e, o.typeHint ?? '');
  if (e.delay === null && !o.delayGiven) {
    refuse(e.file, `${e.group}/delay`, `a dataset (or a delay column in ${e.typesFile}${o.typeHint === undefined ? '' : ', or delay_ms beside from_sonata'})`, 'none (a required dataset is missing)');
  }
  let weight: Float64Array;
  if (e.weightMv) {
    const k = e.weightMv.findIndex((w, i) => target[e.post[i]].toSynWeight(w) !== e.synWeight[i]);
    if (k >= 0) refuse(e.file, `${at}/0/weight_mv[${fileIndex(k)}]`, `the weight that syn_weight[${fileIndex(k)}] = ${e.synWeight[k]} is in ${target[e.post[k]].template}'s units`, String(e.weightMv[k]));
    weight = e.weightMv;
  } else {
    const memo = new Map<NeuronMapping, Map<number, number>>();
    weight = e.synWeight.map((s, i) => {
      const m = target[e.post[i]];
      const seen = memo.get(m) ?? (memo.set(m, new Map()), memo.get(m)!);
      return seen.get(s) ?? (seen.set(s, weightMv(s, m)), seen.get(s)!);
    });
  }
  const units = [...new Set(target)];
  const plasticity = units.length > 0 ? mapSynapse(type, e.typesFile, cfg.synapseModelsDir, units[0]) : null;
  const other = units.find((m) => m.toSynWeight(1) !== units[0].toSynWeight(1) || m.tauMinus !== units[0].tauMinus);
  if (plasticity && other) {
    refuse(e.typesFile, `model_template of edge type ${type.edge_type_id}`, `stdp_synapse onto node types of one C_m / tau_m and tau_minus (Wmax is in the target's units, tau_minus is the target's)`, `targets with C_m / tau_m ${units[0].toSynWeight(1)} and ${other.toSynWeight(1)}, tau_minus ${units[0].tauMinus} and ${other.tauMinus}`);
  }
  const rule = type.chronoprop_plasticity;
  if (!plasticity && rule !== undefined && rule !== 'NONE') notes.push(`${e.name}: static_synapse in the file; the exported network had ${rule} plasticity that did not map onto NEST's`);
  return {
    name: e.name, from: e.source, to: e.target, receptor: receptorOf(e, type),
    connect: { rule: 'pairs', pre: Array.from(e.pre), post: Array.from(e.post) },
    weight_mv: compact(weight), delay_ms: e.delay ? compact(e.delay) : 0,
    ...(plasticity ? { plasticity } : {}),
  };
}

function scenarioName(o: ImportOptions, cfg: SonataConfig): string {
  const given = o.name ?? cfg.chronoprop?.scenario;
  if (typeof given === 'string' && /^[A-Za-z0-9._-]+$/.test(given) && given !== '.' && given !== '..') return given;
  if (o.name !== undefined) refuse('--name', 'name', 'letters, digits, ".", "_" or "-"', JSON.stringify(o.name));
  // A folder's circuit_config.json is named by its folder; any other config file by its own name.
  const base = basename(cfg.circuitFile) === 'circuit_config.json' ? basename(dirname(cfg.circuitFile)) : basename(cfg.circuitFile, '.json');
  return base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.*$/, 'sonata');
}

/** A node population read from a circuit: the chronoprop population and what its projections need. */
export interface ImportedNodes {
  spec: PopulationIn;
  models: NodeModels;
  /** The SONATA node ids taken, in increasing order (all of them without a node_type_id selection). */
  ids: Float64Array;
  /** Each SONATA node's node_type_id (the whole SONATA population's). */
  typeIds: Float64Array;
  /** The nodes file it was read from. */
  file: string;
}

/**
 * One node population of a circuit, by name, as import would write it, with its nodes' neuron models; null when no
 * nodes file of the circuit has it. `nodeTypes` takes only the nodes of those node_type_ids (re-indexed 0..k-1 in
 * node id order); without it the population must have one node type, as import requires.
 */
export function importNodePopulation(cfg: SonataConfig, name: string, notes: string[], nodeTypes?: readonly number[]): ImportedNodes | null {
  const pops = cfg.nodes.flatMap((n) => readNodePops(n.nodesFile, n.typesFile, name));
  if (pops.length === 0) return null;
  if (pops.length > 1) refuse(pops[1].file, `nodes/${name}`, 'population names unique across nodes files', 'a second population of that name');
  const p = pops[0];
  let ids: Float64Array;
  if (nodeTypes === undefined) {
    onlyType(p, 'node', ' (from_sonata.node_type_id selects nodes by type)');
    ids = Float64Array.from(p.typeIds.keys());
  } else {
    const missing = nodeTypes.find((t) => !p.types.has(t));
    if (missing !== undefined) refuse(p.file, `nodes/${name}/node_type_id`, `nodes of each type from_sonata.node_type_id names (the population has types ${[...p.types.keys()].join(', ')})`, `none of type ${missing}`);
    const want = new Set(nodeTypes);
    ids = Float64Array.from([...p.typeIds.keys()].filter((k) => want.has(p.typeIds[k])));
  }
  const models = mapNodes(p, ids, cfg, notes);
  for (const i of cfg.inputs) if (i.population === name) checkInput(cfg, i, models, () => [name]);
  return { spec: population(p, ids, models, cfg), models, ids, typeIds: p.typeIds, file: p.file };
}

/** One edge population of a circuit, by name (null: no edges file has it); sonataProjection makes it a projection. */
export function readEdgePopulation(cfg: SonataConfig, name: string): EdgePop | null {
  const pops = cfg.edges.flatMap((e) => readEdgePops(e.edgesFile, e.typesFile, name));
  if (pops.length > 1) refuse(pops[1].file, `edges/${name}`, 'edge population names unique across edges files', 'a second population of that name');
  return pops[0] ?? null;
}

export async function importSonata(where: string, o: ImportOptions = {}): Promise<SonataImport> {
  await h5();
  const cfg = readSonataConfig(where);
  const notes: string[] = [];
  const nodePops: NodePop[] = [];
  for (const n of cfg.nodes) nodePops.push(...readNodePops(n.nodesFile, n.typesFile));
  const edgePops: EdgePop[] = [];
  for (const e of cfg.edges) edgePops.push(...readEdgePops(e.edgesFile, e.typesFile));
  // One chronoprop population per node population, one projection per edge population: one type each (a scenario's
  // from_sonata selects among several by node_type_id / edge_type_id).
  for (const p of nodePops) onlyType(p, 'node', ' (a scenario\'s from_sonata.node_type_id selects nodes by type)');
  for (const e of edgePops) onlyType(e, 'edge', ' (a scenario\'s from_sonata.edge_type_id selects edges by type)');
  nodePops.sort(byType);
  edgePops.sort(byType);
  const maps = new Map<string, NodeModels>();
  const all = (p: NodePop) => Float64Array.from(p.typeIds.keys());
  for (const p of nodePops) {
    if (maps.has(p.name)) refuse(p.file, `nodes/${p.name}`, 'population names unique across nodes files', 'a second population of that name');
    maps.set(p.name, mapNodes(p, all(p), cfg, notes));
  }
  for (const i of cfg.inputs) checkInput(cfg, i, maps.get(i.population), () => [...maps.keys()]);
  const sizes = new Map(nodePops.map((p) => [p.name, p.size]));
  const names = new Set<string>();
  for (const e of edgePops) {
    if (names.has(e.name)) refuse(e.file, `edges/${e.name}`, 'edge population names unique across edges files', 'a second population of that name');
    names.add(e.name);
  }
  const duration = o.durationMs ?? cfg.tstop;
  if (duration === null) refuse(cfg.circuitFile, 'run.tstop', 'a simulation config with run.tstop beside the circuit, or --duration-ms', 'neither');
  const seed = o.seed ?? (Number.isSafeInteger(cfg.chronoprop?.seed) ? (cfg.chronoprop!.seed as number) : 1);
  const populations: PopulationIn[] = [];
  for (const p of nodePops) populations.push(population(p, all(p), maps.get(p.name)!, cfg));
  const scenario: ScenarioInput = {
    name: scenarioName(o, cfg),
    description: `Imported from the SONATA circuit ${basename(cfg.circuitFile)} by chronoprop import --sonata (docs/sonata.md).`,
    seed,
    duration_ms: duration,
    populations,
    projections: edgePops.map((e) => sonataProjection(e, sizes, maps, cfg, notes)),
  };
  try {
    validateScenario(scenario);
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError(e.problems.map((p) => `${cfg.circuitFile} (imported as a scenario): ${p}`));
    throw e;
  }
  for (const p of scenario.projections!) {
    if (p.plasticity && (Array.isArray(p.delay_ms) || (p.delay_ms as number) > 0)) notes.push(`${p.name}: stdp_synapse delays are dendritic in NEST, axonal in chronoprop (docs/kernel.md)`);
  }
  return { scenario, notes, nodes: nodePops.reduce((s, p) => s + p.size, 0), edges: edgePops.reduce((s, e) => s + e.pre.length, 0) };
}
