/**
 * A SONATA circuit's node and edge populations and spike inputs as plain arrays, checked as they are read (each
 * refusal one line: file, field, expected, found). What they mean to chronoprop is scenario/sonata-import.ts's.
 * Synchronous (h5wasm must be ready: formats/h5.ts). `only` reads one population of a file (a scenario's
 * `from_sonata`): a file without it gives [] and its types file is not read.
 *
 * A population may hold several node (edge) types: each node's (edge's) type id is kept, with the types' rows; the
 * callers decide what one chronoprop population (projection) may take (scenario/sonata-import.ts, from-sonata.ts).
 * An edge's weight follows bmtk's point simulator (bmtk/simulator/pointnet/sonata_adaptors.py, get_batches):
 * syn_weight x nsyns, each from the edge group's column, else the edge type's column (nsyns: else 1).
 */
import { column, groupKeys, has, oneGroup, openH5, readTypesCsv, refuse, stringAttr } from './sonata-read.js';

const NAME = /^[A-Za-z0-9_-]+$/;
/** Per-node columns that do not change a point neuron's dynamics (positions, orientations), skipped. */
const NODE_IGNORED = new Set(['x', 'y', 'z', 'positions', 'rotation_angle_xaxis', 'rotation_angle_yaxis', 'rotation_angle_zaxis']);

export interface NodePop {
  name: string;
  file: string;
  typesFile: string;
  size: number;
  /** Each node's node_type_id. */
  typeIds: Float64Array;
  /** The rows of node_types.csv of the types the population uses, in increasing id order. */
  types: Map<number, Record<string, string>>;
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
  /** Each edge's edge_type_id. */
  typeIds: Float64Array;
  /** The rows of edge_types.csv of the types the population uses, in increasing id order. */
  types: Map<number, Record<string, string>>;
  /** Per edge: syn_weight x nsyns (bmtk's point weight), each from the edge's type's column when the group has none. */
  synWeight: Float64Array;
  /** Per edge, ms; null when neither the group nor the edge type gives one (sonataProjection decides). */
  delay: Float64Array | null;
  /** The edge group's path (`edges/<population>/<group id>`), for messages. */
  group: string;
  /** chronoprop's exact weight (what its exporter adds), if written. */
  weightMv: Float64Array | null;
  /** A selection of the edges (scenario/from-sonata.ts): each one's index in the file, for messages. */
  fileIndex?: Float64Array;
}

/** The rows of the type ids used, in increasing id order; a used id without a row is refused. */
function typeRows(types: Map<number, Record<string, string>>, ids: Float64Array, typesFile: string, kind: string, used: string): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>();
  for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
    const row = types.get(id);
    if (!row) refuse(typesFile, `${kind}_type_id`, `a row for type ${id} (used by ${used})`, 'none');
    out.set(id, row);
  }
  return out;
}

/** The one type of a population, or one line saying it has several (`hint`: how to select among them). */
export function onlyType(p: { types: Map<number, Record<string, string>>; file: string; name: string }, kind: 'node' | 'edge', hint = ''): Record<string, string> {
  const ids = [...p.types.keys()];
  if (ids.length > 1) refuse(p.file, `${kind}s/${p.name}/${kind}_type_id`, `one type for the whole population${hint}`, `${ids.length} types (${ids.slice(0, 4).join(', ')}${ids.length > 4 ? ', ...' : ''})`);
  return p.types.get(ids[0]) ?? {};
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
      const used = typeRows(types, ids, typesFile, 'node', at);
      let vm: Float64Array | null = null;
      for (const k of has(f, g) ? groupKeys(f, nodesFile, g) : []) {
        if (NODE_IGNORED.has(k)) continue;
        if (k !== 'dynamics_params') refuse(nodesFile, `${g}/${k}`, 'no per-node column other than dynamics_params/V_m and positions', `a column ${k}`);
        for (const p of groupKeys(f, nodesFile, `${g}/dynamics_params`)) {
          if (p !== 'V_m') refuse(nodesFile, `${g}/dynamics_params/${p}`, 'only V_m per node (other parameters per population, in node_types.csv)', `a column ${p}`);
          vm = column(f, nodesFile, `${g}/dynamics_params/V_m`, n);
        }
      }
      return { name, file: nodesFile, typesFile, size: n, typeIds: ids, types: used, vm };
    });
  } finally {
    f.close();
  }
}

/**
 * A per-edge column of the edge group, else each edge's type's value, else `fallback` (nsyns: 1), else a refusal.
 */
function edgeColumn(f: Parameters<typeof column>[0], file: string, g: string, name: string, typeIds: Float64Array, types: Map<number, Record<string, string>>, typesFile: string, fallback?: number): Float64Array;
function edgeColumn(f: Parameters<typeof column>[0], file: string, g: string, name: string, typeIds: Float64Array, types: Map<number, Record<string, string>>, typesFile: string, fallback: number | undefined, missing: 'null'): Float64Array | null;
function edgeColumn(f: Parameters<typeof column>[0], file: string, g: string, name: string, typeIds: Float64Array, types: Map<number, Record<string, string>>, typesFile: string, fallback?: number, missing?: 'null'): Float64Array | null {
  const m = typeIds.length;
  if (has(f, `${g}/${name}`)) return column(f, file, `${g}/${name}`, m);
  const byType = new Map<number, number>();
  for (const [id, row] of types) {
    const v = row[name] === undefined || row[name] === 'NONE' ? fallback ?? NaN : Number(row[name]);
    if (!Number.isFinite(v)) {
      if (row[name] !== undefined && row[name] !== 'NONE') refuse(typesFile, `${name} of edge type ${id}`, 'a finite number', row[name]);
      if (missing === 'null') return null;
      refuse(file, `${g}/${name}`, `a dataset (or a ${name} column in ${typesFile})`, 'none (a required dataset is missing)');
    }
    byType.set(id, v);
  }
  return Float64Array.from(typeIds, (id) => byType.get(id)!);
}

const EDGE_COLUMNS = new Set(['syn_weight', 'delay', 'weight_mv', 'nsyns']);

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
      const typeIds = column(f, edgesFile, `${at}/edge_type_id`, m, true);
      const used = typeRows(types, typeIds, typesFile, 'edge', at);
      for (const k of has(f, g) ? groupKeys(f, edgesFile, g) : []) {
        if (!EDGE_COLUMNS.has(k)) refuse(edgesFile, `${g}/${k}`, `per-edge columns among ${[...EDGE_COLUMNS].join(', ')} (point synapses)`, `a column ${k}`);
      }
      const synWeight = edgeColumn(f, edgesFile, g, 'syn_weight', typeIds, used, typesFile);
      const nsyns = edgeColumn(f, edgesFile, g, 'nsyns', typeIds, used, typesFile, 1);
      const n = nsyns.findIndex((x) => !(Number.isInteger(x) && x >= 0));
      if (n >= 0) refuse(edgesFile, `${g}/nsyns[${n}]`, 'a whole number of synapses >= 0', String(nsyns[n]));
      for (let i = 0; i < m; i++) if (nsyns[i] !== 1) synWeight[i] *= nsyns[i];
      const delay = edgeColumn(f, edgesFile, g, 'delay', typeIds, used, typesFile, undefined, 'null');
      const k = delay ? delay.findIndex((d) => d < 0) : -1;
      if (k >= 0) refuse(edgesFile, `${g}/delay[${k}]`, 'a delay >= 0 (ms)', String(delay![k]));
      const weightMv = has(f, `${g}/weight_mv`) ? column(f, edgesFile, `${g}/weight_mv`, m) : null;
      return { name, file: edgesFile, typesFile, source, target, pre, post, typeIds, types: used, synWeight, delay, group: g, weightMv };
    });
  } finally {
    f.close();
  }
}

/**
 * A SONATA spike file's spikes of one population, per node, each list in time order. The layout before SONATA 1.0,
 * which bmtk still reads and its examples still hold (/spikes/gids and /spikes/timestamps, no population group; bmtk's
 * spike_train_readers.py, SonataOldReader), is read as the spikes of the population the input feeds.
 */
export function readSpikeInput(file: string, pop: string, size: number): number[][] {
  const f = openH5(file, 'spikes');
  try {
    const legacy = !has(f, `spikes/${pop}`) && has(f, 'spikes/gids') && has(f, 'spikes/timestamps');
    const idPath = legacy ? 'spikes/gids' : `spikes/${pop}/node_ids`;
    const tPath = legacy ? 'spikes/timestamps' : `spikes/${pop}/timestamps`;
    const ids = column(f, file, idPath, undefined, true);
    const t = column(f, file, tPath, ids.length);
    const out: number[][] = Array.from({ length: size }, () => []);
    for (let k = 0; k < ids.length; k++) {
      if (ids[k] >= size) refuse(file, `${idPath}[${k}]`, `a node id < ${size} (size of ${pop})`, String(ids[k]));
      if (t[k] < 0) refuse(file, `${tPath}[${k}]`, 'a time >= 0 (ms)', String(t[k]));
      out[ids[k]].push(t[k]);
    }
    for (const l of out) l.sort((a, b) => a - b);
    return out;
  } finally {
    f.close();
  }
}
