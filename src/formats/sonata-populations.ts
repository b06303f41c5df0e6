/**
 * A SONATA circuit's node and edge populations and spike inputs as plain arrays, checked as they are read (each
 * refusal one line: file, field, expected, found). What they mean to chronoprop is scenario/sonata-import.ts's.
 * Synchronous (h5wasm must be ready: formats/h5.ts). `only` reads one population of a file (a scenario's
 * `from_sonata`): a file without it gives [] and its types file is not read.
 */
import { column, groupKeys, has, oneGroup, oneTypeId, openH5, readTypesCsv, refuse, stringAttr } from './sonata-read.js';

const NAME = /^[A-Za-z0-9_-]+$/;
/** Per-node columns that do not change a point neuron's dynamics, skipped. */
const NODE_IGNORED = new Set(['x', 'y', 'z', 'positions']);

export interface NodePop {
  name: string;
  file: string;
  typesFile: string;
  size: number;
  type: Record<string, string>;
  /** Per-node initial potentials (group column dynamics_params/V_m), if written. */
  vm: Float64Array | null;
}

export interface EdgePop {
  name: string;
  file: string;
  typesFile: string;
  source: string;
  target: string;
  pre: Float64Array;
  post: Float64Array;
  type: Record<string, string>;
  /** Per edge; from the edge type's column when the group has none. */
  synWeight: Float64Array;
  delay: Float64Array;
  /** chronoprop's exact weight (what its exporter adds), if written. */
  weightMv: Float64Array | null;
}

function typeRow(types: Map<number, Record<string, string>>, typesFile: string, kind: string, id: number, used: string): Record<string, string> {
  const row = types.get(id);
  if (!row) refuse(typesFile, `${kind}_type_id`, `a row for type ${id} (used by ${used})`, 'none');
  return row;
}

/** The population names in a nodes or edges file (the groups under /nodes or /edges). */
export function populationNames(file: string, kind: 'nodes' | 'edges'): string[] {
  const f = openH5(file, kind);
  try {
    return groupKeys(f, file, kind);
  } finally {
    f.close();
  }
}

export function readNodePops(nodesFile: string, typesFile: string, only?: string): NodePop[] {
  const f = openH5(nodesFile, 'nodes');
  try {
    const names = groupKeys(f, nodesFile, 'nodes').filter((n) => only === undefined || n === only);
    if (names.length === 0) return [];
    const types = readTypesCsv(typesFile, 'node_type_id');
    return names.map((name) => {
      const at = `nodes/${name}`;
      if (!NAME.test(name)) refuse(nodesFile, at, 'a population name of letters, digits, "_" or "-"', JSON.stringify(name));
      const ids = column(f, nodesFile, `${at}/node_type_id`, undefined, true);
      const n = ids.length;
      if (has(f, `${at}/node_id`)) {
        const nid = column(f, nodesFile, `${at}/node_id`, n, true);
        const k = nid.findIndex((x, i) => x !== i);
        if (k >= 0) refuse(nodesFile, `${at}/node_id[${k}]`, `${k} (node ids 0..n-1 in order)`, String(nid[k]));
      }
      const g = `${at}/${oneGroup(f, nodesFile, at, 'node', n)}`;
      const type = typeRow(types, typesFile, 'node', oneTypeId(ids, nodesFile, `${at}/node_type_id`), at);
      let vm: Float64Array | null = null;
      for (const k of has(f, g) ? groupKeys(f, nodesFile, g) : []) {
        if (NODE_IGNORED.has(k)) continue;
        if (k !== 'dynamics_params') refuse(nodesFile, `${g}/${k}`, 'no per-node column other than dynamics_params/V_m and positions', `a column ${k}`);
        for (const p of groupKeys(f, nodesFile, `${g}/dynamics_params`)) {
          if (p !== 'V_m') refuse(nodesFile, `${g}/dynamics_params/${p}`, 'only V_m per node (other parameters per population, in node_types.csv)', `a column ${p}`);
          vm = column(f, nodesFile, `${g}/dynamics_params/V_m`, n);
        }
      }
      return { name, file: nodesFile, typesFile, size: n, type, vm };
    });
  } finally {
    f.close();
  }
}

/** A per-edge column of the edge group, else the edge type's value for every edge, else a refusal. */
function edgeColumn(f: Parameters<typeof column>[0], file: string, g: string, name: string, m: number, type: Record<string, string>, typesFile: string): Float64Array {
  if (has(f, `${g}/${name}`)) return column(f, file, `${g}/${name}`, m);
  const v = type[name] === undefined ? NaN : Number(type[name]);
  if (type[name] !== undefined && Number.isFinite(v)) return new Float64Array(m).fill(v);
  refuse(file, `${g}/${name}`, `a dataset (or a ${name} column in ${typesFile})`, 'none (a required dataset is missing)');
}

const EDGE_COLUMNS = new Set(['syn_weight', 'delay', 'weight_mv']);

export function readEdgePops(edgesFile: string, typesFile: string, only?: string): EdgePop[] {
  const f = openH5(edgesFile, 'edges');
  try {
    const names = groupKeys(f, edgesFile, 'edges').filter((n) => only === undefined || n === only);
    if (names.length === 0) return [];
    const types = readTypesCsv(typesFile, 'edge_type_id');
    return names.map((name) => {
      const at = `edges/${name}`;
      if (!NAME.test(name)) refuse(edgesFile, at, 'a population name of letters, digits, "_" or "-"', JSON.stringify(name));
      const pre = column(f, edgesFile, `${at}/source_node_id`, undefined, true);
      const m = pre.length;
      const post = column(f, edgesFile, `${at}/target_node_id`, m, true);
      const source = stringAttr(f, edgesFile, `${at}/source_node_id`, 'node_population');
      const target = stringAttr(f, edgesFile, `${at}/target_node_id`, 'node_population');
      const g = `${at}/${oneGroup(f, edgesFile, at, 'edge', m)}`;
      const type = typeRow(types, typesFile, 'edge', oneTypeId(column(f, edgesFile, `${at}/edge_type_id`, m, true), edgesFile, `${at}/edge_type_id`), at);
      for (const k of has(f, g) ? groupKeys(f, edgesFile, g) : []) {
        if (!EDGE_COLUMNS.has(k)) refuse(edgesFile, `${g}/${k}`, `per-edge columns among ${[...EDGE_COLUMNS].join(', ')} (point synapses)`, `a column ${k}`);
      }
      const synWeight = edgeColumn(f, edgesFile, g, 'syn_weight', m, type, typesFile);
      const delay = edgeColumn(f, edgesFile, g, 'delay', m, type, typesFile);
      const k = delay.findIndex((d) => d < 0);
      if (k >= 0) refuse(edgesFile, `${g}/delay[${k}]`, 'a delay >= 0 (ms)', String(delay[k]));
      const weightMv = has(f, `${g}/weight_mv`) ? column(f, edgesFile, `${g}/weight_mv`, m) : null;
      return { name, file: edgesFile, typesFile, source, target, pre, post, type, synWeight, delay, weightMv };
    });
  } finally {
    f.close();
  }
}

/** A SONATA spike file's spikes of one population, per node, each list in time order. */
export function readSpikeInput(file: string, pop: string, size: number): number[][] {
  const f = openH5(file, 'spikes');
  try {
    const ids = column(f, file, `spikes/${pop}/node_ids`, undefined, true);
    const t = column(f, file, `spikes/${pop}/timestamps`, ids.length);
    const out: number[][] = Array.from({ length: size }, () => []);
    for (let k = 0; k < ids.length; k++) {
      if (ids[k] >= size) refuse(file, `spikes/${pop}/node_ids[${k}]`, `a node id < ${size} (size of ${pop})`, String(ids[k]));
      if (t[k] < 0) refuse(file, `spikes/${pop}/timestamps[${k}]`, 'a time >= 0 (ms)', String(t[k]));
      out[ids[k]].push(t[k]);
    }
    for (const l of out) l.sort((a, b) => a - b);
    return out;
  } finally {
    f.close();
  }
}
