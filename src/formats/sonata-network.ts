/**
 * SONATA network files (nodes and edges), written and read with h5wasm, in the layout NEST's SONATA loader, bmtk
 * and libsonata read:
 *
 *   nodes.h5   /nodes/<population>/node_type_id            uint64, one per node (node ids are 0..n-1, implicit)
 *              /nodes/<population>/node_group_id           uint32, all 0
 *              /nodes/<population>/node_group_index        uint64, 0..n-1
 *              /nodes/<population>/0/dynamics_params/V_m   float64, each neuron's initial potential (mV), if it has one
 *   edges.h5   /edges/<population>/source_node_id          uint64, attribute node_population = source population
 *              /edges/<population>/target_node_id          uint64, attribute node_population = target population
 *              /edges/<population>/edge_type_id            uint64
 *              /edges/<population>/edge_group_id           uint32, all 0
 *              /edges/<population>/edge_group_index        uint64, 0..m-1
 *              /edges/<population>/0/syn_weight            float64, in the target model's units (NEST: pA or mV)
 *              /edges/<population>/0/delay                 float64, ms
 *              /edges/<population>/0/weight_mv             float64, chronoprop's weight, kept so import is exact
 *
 * The files carry magic = 0x0A7A and version = [0, 1] at the root, as the spike files do (sonata.ts). Node and edge
 * types go in CSV files beside them (space-separated, as SONATA specifies), written by the caller.
 */
import { h5, writeH5, type H5 } from './h5.js';

type Group = InstanceType<H5['Group']>;
type Dataset = InstanceType<H5['Dataset']>;

export interface NodePopulation {
  name: string;
  size: number;
  nodeTypeId: number;
}

export interface EdgePopulation {
  name: string;
  source: string;
  target: string;
  edgeTypeId: number;
  pre: ArrayLike<number>;
  post: ArrayLike<number>;
  /** In the target model's units (what NEST reads). */
  synWeight: ArrayLike<number>;
  weightMv: ArrayLike<number>;
  delayMs: ArrayLike<number>;
}

const u64 = (n: number, f: (k: number) => number) => {
  const a = new BigUint64Array(n);
  for (let k = 0; k < n; k++) a[k] = BigInt(f(k));
  return a;
};

function header(f: InstanceType<H5['File']>): void {
  f.create_attribute('magic', 0x0a7a, null, '<I');
  f.create_attribute('version', new Uint32Array([0, 1]), [2], '<I');
}

/** `initialVm`: per population, each node's initial membrane potential, written as /nodes/<pop>/0/dynamics_params/V_m. */
export async function writeSonataNodes(path: string, pops: NodePopulation[], initialVm: ReadonlyMap<string, Float64Array> = new Map()): Promise<void> {
  await writeH5(path, (f) => {
    header(f);
    f.create_group('nodes');
    for (const p of pops) {
      const g = f.create_group(`nodes/${p.name}`);
      g.create_dataset({ name: 'node_type_id', data: u64(p.size, () => p.nodeTypeId), shape: [p.size], dtype: '<Q' });
      g.create_dataset({ name: 'node_group_id', data: new Uint32Array(p.size), shape: [p.size], dtype: '<I' });
      g.create_dataset({ name: 'node_group_index', data: u64(p.size, (k) => k), shape: [p.size], dtype: '<Q' });
      g.create_group('0');
      const vm = initialVm.get(p.name);
      if (vm) f.create_group(`nodes/${p.name}/0/dynamics_params`).create_dataset({ name: 'V_m', data: vm, shape: [p.size], dtype: '<d' });
    }
  });
}

export async function writeSonataEdges(path: string, pops: EdgePopulation[]): Promise<void> {
  await writeH5(path, (f) => {
    header(f);
    f.create_group('edges');
    for (const e of pops) {
      const m = e.pre.length;
      const g = f.create_group(`edges/${e.name}`);
      g.create_dataset({ name: 'source_node_id', data: u64(m, (k) => e.pre[k]), shape: [m], dtype: '<Q' }).create_attribute('node_population', e.source);
      g.create_dataset({ name: 'target_node_id', data: u64(m, (k) => e.post[k]), shape: [m], dtype: '<Q' }).create_attribute('node_population', e.target);
      g.create_dataset({ name: 'edge_type_id', data: u64(m, () => e.edgeTypeId), shape: [m], dtype: '<Q' });
      g.create_dataset({ name: 'edge_group_id', data: new Uint32Array(m), shape: [m], dtype: '<I' });
      g.create_dataset({ name: 'edge_group_index', data: u64(m, (k) => k), shape: [m], dtype: '<Q' });
      const grp = f.create_group(`edges/${e.name}/0`);
      grp.create_dataset({ name: 'syn_weight', data: Float64Array.from(e.synWeight), shape: [m], dtype: '<d' });
      grp.create_dataset({ name: 'delay', data: Float64Array.from(e.delayMs), shape: [m], dtype: '<d' });
      grp.create_dataset({ name: 'weight_mv', data: Float64Array.from(e.weightMv), shape: [m], dtype: '<d' });
    }
  });
}

export interface ReadEdges {
  source: string;
  target: string;
  pre: Int32Array;
  post: Int32Array;
  synWeight: Float64Array;
  /** chronoprop's weight if the file has it, else null (then it is converted from syn_weight by the caller). */
  weightMv: Float64Array | null;
  delayMs: Float64Array;
}

const ints = (d: Dataset) => Int32Array.from(d.value as BigUint64Array, (x) => Number(x));

/** Node counts per population of a SONATA nodes file. */
export async function readSonataNodes(path: string): Promise<Map<string, { size: number; nodeTypeId: Int32Array }>> {
  const lib = await h5();
  const f = new lib.File(path, 'r');
  try {
    const out = new Map<string, { size: number; nodeTypeId: Int32Array }>();
    for (const name of (f.get('nodes') as Group).keys()) {
      const t = ints(f.get(`nodes/${name}/node_type_id`) as Dataset);
      out.set(name, { size: t.length, nodeTypeId: t });
    }
    return out;
  } finally {
    f.close();
  }
}

/** Every edge population of a SONATA edges file, in edge order. */
export async function readSonataEdges(path: string): Promise<Map<string, ReadEdges>> {
  const lib = await h5();
  const f = new lib.File(path, 'r');
  try {
    const out = new Map<string, ReadEdges>();
    for (const name of (f.get('edges') as Group).keys()) {
      const src = f.get(`edges/${name}/source_node_id`) as Dataset;
      const tgt = f.get(`edges/${name}/target_node_id`) as Dataset;
      const grp = f.get(`edges/${name}/0`) as Group;
      const col = (k: string) => (grp.keys().includes(k) ? Float64Array.from((f.get(`edges/${name}/0/${k}`) as Dataset).value as Float64Array) : null);
      out.set(name, {
        source: String(src.attrs.node_population?.value ?? ''),
        target: String(tgt.attrs.node_population?.value ?? ''),
        pre: ints(src),
        post: ints(tgt),
        synWeight: col('syn_weight') ?? new Float64Array(0),
        weightMv: col('weight_mv'),
        delayMs: col('delay') ?? new Float64Array(0),
      });
    }
    return out;
  } finally {
    f.close();
  }
}
