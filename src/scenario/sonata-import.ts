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
import { readEdgePops, readNodePops, readSpikeInput, type EdgePop, type NodePop } from '../formats/sonata-populations.js';
import { refuse } from '../formats/sonata-read.js';
import { mapNeuron, mapSynapse, weightMv, type NeuronMapping } from './sonata-models.js';
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

const byType = (col: string) => (a: { type: Record<string, string>; name: string }, b: { type: Record<string, string>; name: string }) =>
  Number(a.type[col]) - Number(b.type[col]) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** One value for all when they are all equal (a scenario's scalar form), else the list. */
const compact = (a: ArrayLike<number>): number | number[] => (a.length > 0 && Array.prototype.every.call(a, (x: number) => Object.is(x, a[0])) ? a[0] : Array.from(a));

/** A node population's neuron model (null: virtual nodes, a spike source). */
function mapNode(p: NodePop, cfg: SonataConfig, notes: string[]): NeuronMapping | null {
  const morph = p.type.morphology;
  if (morph !== undefined && morph !== 'NONE' && morph !== '') refuse(p.typesFile, `morphology of node type ${p.type.node_type_id}`, 'NONE (chronoprop has point neurons only)', morph);
  const mt = p.type.model_type;
  let m: NeuronMapping | null = null;
  if (mt === 'point_neuron' || mt === 'point_process') m = mapNeuron(p.type, p.typesFile, cfg.neuronModelsDir);
  else if (mt !== 'virtual') refuse(p.typesFile, `model_type of node type ${p.type.node_type_id}`, 'point_neuron or virtual', String(mt));
  if (p.type.model_template === 'nest:iaf_psc_exp') notes.push(`${p.name}: nest:iaf_psc_exp runs on NEST's time grid; chronoprop runs its equations with exact spike times`);
  return m;
}

function mapNodes(pops: NodePop[], cfg: SonataConfig, notes: string[]): Map<string, NeuronMapping | null> {
  const out = new Map<string, NeuronMapping | null>();
  for (const p of pops) {
    if (out.has(p.name)) refuse(p.file, `nodes/${p.name}`, 'population names unique across nodes files', 'a second population of that name');
    out.set(p.name, mapNode(p, cfg, notes));
  }
  return out;
}

/** A spike input must feed a whole population of virtual nodes (`mapping` null); undefined: no such population. */
function checkInput(cfg: SonataConfig, i: SonataConfig['inputs'][number], mapping: NeuronMapping | null | undefined, known: () => string[]): void {
  if (mapping === undefined) refuse(cfg.simulationFile!, `inputs.${i.name}.node_set`, `a node population (${known().join(', ')})`, i.population);
  if (mapping) refuse(cfg.simulationFile!, `inputs.${i.name}.node_set`, 'virtual nodes (chronoprop feeds spikes to sources, not to neurons)', `${i.population}, a population of point neurons`);
}

function population(p: NodePop, m: NeuronMapping | null, cfg: SonataConfig): PopulationIn {
  if (m === null) {
    const input = cfg.inputs.filter((i) => i.population === p.name);
    const times: number[][] = Array.from({ length: p.size }, () => []);
    for (const i of input) readSpikeInput(i.file, p.name, p.size).forEach((l, k) => times[k].push(...l));
    if (input.length > 1) for (const l of times) l.sort((a, b) => a - b);
    return { name: p.name, model: 'spike_source', size: p.size, params: { spike_times_ms: times } };
  }
  return { name: p.name, model: 'lif', size: p.size, params: m.params, init: { v_mv: p.vm ? compact(p.vm) : m.vInit } };
}

function receptorOf(e: EdgePop): 'exc' | 'inh' {
  const r = e.type.receptor;
  if (r === 'exc' || r === 'inh') return r;
  if (r !== undefined && r !== 'NONE') refuse(e.typesFile, `receptor of edge type ${e.type.edge_type_id}`, 'exc or inh', r);
  const neg = e.synWeight.findIndex((w) => w < 0);
  const pos = e.synWeight.findIndex((w) => w > 0);
  if (neg >= 0 && pos >= 0) refuse(e.file, `edges/${e.name}/0/syn_weight`, 'one sign per edge population (no receptor column: the sign picks the receptor, as in NEST)', `${e.synWeight[pos]} at edge ${pos} and ${e.synWeight[neg]} at edge ${neg}`);
  return neg >= 0 ? 'inh' : 'exc';
}

/**
 * An edge population as a projection (from and to: the SONATA node populations' names). `sizes` and `maps` hold the
 * node populations it may name: their sizes, and their neuron models (the target's gives syn_weight's units).
 */
export function sonataProjection(e: EdgePop, sizes: Map<string, number>, maps: Map<string, NeuronMapping | null>, cfg: SonataConfig, notes: string[]): ProjectionIn {
  const at = `edges/${e.name}`;
  for (const [end, pop, ids] of [['source', e.source, e.pre], ['target', e.target, e.post]] as const) {
    const n = sizes.get(pop);
    if (n === undefined) refuse(e.file, `${at}/${end}_node_id attribute node_population`, `a node population (${[...sizes.keys()].join(', ')})`, pop);
    const k = ids.findIndex((i) => i >= n);
    if (k >= 0) refuse(e.file, `${at}/${end}_node_id[${k}]`, `a node id < ${n} (size of ${pop})`, String(ids[k]));
  }
  const target = maps.get(e.target);
  if (!target) refuse(e.file, `${at}/target_node_id attribute node_population`, 'a population of point neurons (virtual nodes receive nothing)', e.target);
  let weight: Float64Array;
  if (e.weightMv) {
    const k = e.weightMv.findIndex((w, i) => target.toSynWeight(w) !== e.synWeight[i]);
    if (k >= 0) refuse(e.file, `${at}/0/weight_mv[${k}]`, `the weight that syn_weight[${k}] = ${e.synWeight[k]} is in ${target.template}'s units`, String(e.weightMv[k]));
    weight = e.weightMv;
  } else {
    const memo = new Map<number, number>();
    weight = e.synWeight.map((s) => memo.get(s) ?? (memo.set(s, weightMv(s, target)), memo.get(s)!));
  }
  const plasticity = mapSynapse(e.type, e.typesFile, cfg.synapseModelsDir, target);
  const rule = e.type.chronoprop_plasticity;
  if (!plasticity && rule !== undefined && rule !== 'NONE') notes.push(`${e.name}: static_synapse in the file; the exported network had ${rule} plasticity that did not map onto NEST's`);
  return {
    name: e.name, from: e.source, to: e.target, receptor: receptorOf(e),
    connect: { rule: 'pairs', pre: Array.from(e.pre), post: Array.from(e.post) },
    weight_mv: compact(weight), delay_ms: compact(e.delay),
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

/**
 * One node population of a circuit, by name, as import would write it, with its neuron model (null: virtual);
 * null when no nodes file of the circuit has it.
 */
export function importNodePopulation(cfg: SonataConfig, name: string, notes: string[]): { spec: PopulationIn; mapping: NeuronMapping | null } | null {
  const pops = cfg.nodes.flatMap((n) => readNodePops(n.nodesFile, n.typesFile, name));
  if (pops.length === 0) return null;
  if (pops.length > 1) refuse(pops[1].file, `nodes/${name}`, 'population names unique across nodes files', 'a second population of that name');
  const mapping = mapNode(pops[0], cfg, notes);
  for (const i of cfg.inputs) if (i.population === name) checkInput(cfg, i, mapping, () => [name]);
  return { spec: population(pops[0], mapping, cfg), mapping };
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
  nodePops.sort(byType('node_type_id'));
  edgePops.sort(byType('edge_type_id'));
  const maps = mapNodes(nodePops, cfg, notes);
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
  for (const p of nodePops) populations.push(population(p, maps.get(p.name)!, cfg));
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
