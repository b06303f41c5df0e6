/**
 * SONATA's JSON configuration, resolved to the files an import reads. A circuit config names the networks' files
 * (`networks.nodes[]`: nodes_file, node_types_file; `networks.edges[]`: edges_file, edge_types_file) and the
 * components' folders; a simulation config names the circuit (`network`), the run (`run.tstop`) and the inputs
 * (`inputs.<name>`: input_type spikes, input_file, node_set). Paths may use the `manifest`'s `$VARIABLES` and are
 * relative to the file that holds them. Given a folder, its circuit_config.json and (when present)
 * simulation_config.json are read; given a JSON file, it is a top-level config if it names both (`network` and
 * `simulation`, as bmtk's config.json does), else a simulation config if it has `network`, else a circuit config.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readJsonFile, refuse } from './sonata-read.js';

export interface SonataConfig {
  circuitFile: string;
  simulationFile: string | null;
  nodes: { nodesFile: string; typesFile: string }[];
  edges: { edgesFile: string; typesFile: string }[];
  /** components.point_neuron_models_dir and synaptic_models_dir (null when absent). */
  neuronModelsDir: string | null;
  synapseModelsDir: string | null;
  tstop: number | null;
  /** Spike inputs, each onto one whole node population. */
  inputs: { name: string; population: string; file: string }[];
  /** The `chronoprop` block a chronoprop export writes (scenario name, seed), if any. */
  chronoprop: { scenario?: unknown; seed?: unknown } | null;
}

/** Expands `$NAME` / `${NAME}` from a manifest and resolves the result against the config file's folder. */
function pathsOf(cfg: Record<string, unknown>, file: string): (v: unknown, field: string) => string {
  const manifest = (cfg.manifest ?? {}) as Record<string, unknown>;
  const expand = (s: string, field: string, depth: number): string =>
    s.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => {
      const v = manifest[`$${name}`];
      if (typeof v !== 'string') refuse(file, `manifest.$${name} (used by ${field})`, 'a string', v === undefined ? 'none' : JSON.stringify(v));
      if (depth > 16) refuse(file, `manifest.$${name}`, 'variables that do not refer to themselves', 'a cycle');
      return expand(v, field, depth + 1);
    });
  return (v, field) => {
    if (typeof v !== 'string' || v === '') refuse(file, field, 'a path', v === undefined ? 'none' : JSON.stringify(v));
    return resolve(dirname(file), expand(v, field, 0));
  };
}

function list(cfg: Record<string, unknown>, file: string, key: 'nodes' | 'edges'): Record<string, unknown>[] {
  const networks = cfg.networks as Record<string, unknown> | undefined;
  const l = networks?.[key] ?? [];
  if (!Array.isArray(l)) refuse(file, `networks.${key}`, 'a list', JSON.stringify(l));
  return l as Record<string, unknown>[];
}

function readCircuit(file: string): Omit<SonataConfig, 'simulationFile' | 'tstop' | 'inputs'> {
  const cfg = readJsonFile(file, 'circuit config');
  const path = pathsOf(cfg, file);
  const nodes = list(cfg, file, 'nodes').map((n, k) => ({ nodesFile: path(n.nodes_file, `networks.nodes[${k}].nodes_file`), typesFile: path(n.node_types_file, `networks.nodes[${k}].node_types_file`) }));
  if (nodes.length === 0) refuse(file, 'networks.nodes', 'at least one nodes file', 'none');
  const edges = list(cfg, file, 'edges').map((e, k) => ({ edgesFile: path(e.edges_file, `networks.edges[${k}].edges_file`), typesFile: path(e.edge_types_file, `networks.edges[${k}].edge_types_file`) }));
  const comp = (cfg.components ?? {}) as Record<string, unknown>;
  const dir = (k: string) => (comp[k] === undefined ? null : path(comp[k], `components.${k}`));
  const cp = cfg.chronoprop;
  return {
    circuitFile: file, nodes, edges,
    neuronModelsDir: dir('point_neuron_models_dir'), synapseModelsDir: dir('synaptic_models_dir'),
    chronoprop: typeof cp === 'object' && cp !== null ? (cp as SonataConfig['chronoprop']) : null,
  };
}

/** Each spike input's node set, resolved to the one node population it must name whole. */
function readInputs(cfg: Record<string, unknown>, file: string): SonataConfig['inputs'] {
  const path = pathsOf(cfg, file);
  const inputs = (cfg.inputs ?? {}) as Record<string, Record<string, unknown>>;
  const names = Object.keys(inputs);
  if (names.length === 0) return [];
  const setsFile = cfg.node_sets_file === undefined ? null : path(cfg.node_sets_file, 'node_sets_file');
  const sets = setsFile ? readJsonFile(setsFile, 'node sets') : {};
  return names.map((name) => {
    const inp = inputs[name];
    const at = `inputs.${name}`;
    if (inp.input_type !== 'spikes') refuse(file, `${at}.input_type`, 'spikes (the only input chronoprop maps: spike times onto virtual nodes)', JSON.stringify(inp.input_type));
    if (inp.module !== undefined && inp.module !== 'h5' && inp.module !== 'sonata') refuse(file, `${at}.module`, 'h5 or sonata (a SONATA spike file)', JSON.stringify(inp.module));
    const set = (sets as Record<string, unknown>)[String(inp.node_set)] as Record<string, unknown> | undefined;
    const keys = set && typeof set === 'object' ? Object.keys(set) : [];
    if (!set || keys.length !== 1 || typeof set.population !== 'string') {
      refuse(setsFile ?? file, `node set ${JSON.stringify(inp.node_set)} (${at}.node_set)`, 'a node set {"population": name}, one whole population', set ? JSON.stringify(set) : 'none');
    }
    return { name, population: set.population as string, file: path(inp.input_file, `${at}.input_file`) };
  });
}

export function readSonataConfig(where: string): SonataConfig {
  const p = resolve(where);
  if (!existsSync(p)) refuse(where, '--sonata', 'a SONATA folder or config file', 'no such file or folder');
  let simFile: string | null = null;
  let circuitFile: string;
  if (statSync(p).isDirectory()) {
    circuitFile = join(p, 'circuit_config.json');
    if (existsSync(join(p, 'simulation_config.json'))) simFile = join(p, 'simulation_config.json');
  } else if (typeof readJsonFile(p, 'config').simulation === 'string') {
    // A top-level config naming both files ({"network": circuit, "simulation": simulation}; bmtk's config.json).
    const top = readJsonFile(p, 'config');
    circuitFile = pathsOf(top, p)(top.network, 'network');
    simFile = pathsOf(top, p)(top.simulation, 'simulation');
  } else if (readJsonFile(p, 'config').network !== undefined) {
    simFile = p;
    circuitFile = pathsOf(readJsonFile(p, 'simulation config'), p)(readJsonFile(p, 'simulation config').network, 'network');
  } else {
    circuitFile = p;
  }
  const circuit = readCircuit(circuitFile);
  if (!simFile) return { ...circuit, simulationFile: null, tstop: null, inputs: [] };
  const sim = readJsonFile(simFile, 'simulation config');
  const run = (sim.run ?? {}) as Record<string, unknown>;
  const tstop = run.tstop;
  if (tstop !== undefined && !(typeof tstop === 'number' && tstop > 0 && Number.isFinite(tstop))) refuse(simFile, 'run.tstop', 'a duration > 0 (ms)', JSON.stringify(tstop));
  return { ...circuit, simulationFile: simFile, tstop: (tstop as number | undefined) ?? null, inputs: readInputs(sim, simFile) };
}
