/**
 * A tiny SONATA circuit written by hand with h5wasm (not by chronoprop's exporter), in the layout of the SONATA
 * specification as bmtk writes point networks: explicit node ids, one group per population, no `weight_mv` column
 * and no `receptor` column (NEST's units, the sign picks the receptor). TINY holds what it was written with; the
 * import tests compare against it. `tweak` edits the files before they are written (bad-input tests).
 */
import h5wasm from 'h5wasm/node';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** 2 virtual nodes feeding 3 iaf_psc_exp_ps cells (C_m 250 pF, tau_m 25 ms: 10 pA per mV), and STDP among cells. */
export const TINY = {
  cells: { C_m: 250, tau_m: 25, E_L: -65, V_reset: -70, V_th: -50, t_ref: 2, tau_syn_ex: 2, tau_syn_in: 4, I_e: 100, tau_minus: 30 },
  vm: [-66, -60.5, -52.25],
  input: { pre: [0, 1, 1, 0], post: [0, 0, 2, 1], syn: [15, 22.5, 120, 7.5], delay: [1, 0.5, 2.25, 1] },
  inhib: { pre: [2, 0], post: [0, 1], syn: [-30, -45], delay: [0.5, 0.5] },
  recur: { pre: [0, 1], post: [1, 2], syn: [20, 35], delay: [1.5, 3] },
  stdp: { tau_plus: 16.8, lambda: 0.005, alpha: 1.1, mu_plus: 0, mu_minus: 0, Wmax: 40 },
  spikes: { node: [1, 0, 1, 0], t: [12.5, 5, 3, 40] },
  tstop: 80,
};

export interface TinyFiles {
  nodeTypes: string;
  edgeTypes: string;
  cellsJson: Record<string, unknown>;
  stdpJson: Record<string, unknown>;
  /** syn_weight per edge population in place of TINY's. */
  syn: Record<string, number[]>;
  /** Edge group columns to leave out, as '<population>/<column>'. */
  drop: string[];
  notHdf5Edges: boolean;
}

const u64 = (a: number[]) => BigUint64Array.from(a.map(BigInt));

function defaults(): TinyFiles {
  return {
    nodeTypes: 'node_type_id model_type model_template dynamics_params pop_name\n1 virtual NONE NONE stim\n2 point_neuron nest:iaf_psc_exp_ps cells.json cells\n',
    edgeTypes: 'edge_type_id model_template dynamics_params\n10 static_synapse NONE\n11 static_synapse NONE\n12 stdp_synapse stdp.json\n',
    cellsJson: { ...TINY.cells },
    stdpJson: { ...TINY.stdp },
    syn: {},
    drop: [],
    notHdf5Edges: false,
  };
}

export async function writeTinySonata(dir: string, tweak: (f: TinyFiles) => void = () => {}): Promise<string> {
  const t = defaults();
  tweak(t);
  await h5wasm.ready;
  for (const d of ['net', 'models/cells', 'models/syn', 'in']) mkdirSync(join(dir, d), { recursive: true });
  let f = new h5wasm.File(join(dir, 'net/nodes.h5'), 'w');
  f.create_group('nodes');
  for (const [pop, n, type] of [['stim', 2, 1], ['cells', 3, 2]] as const) {
    const g = f.create_group(`nodes/${pop}`);
    g.create_dataset({ name: 'node_id', data: u64([...Array(n).keys()]), shape: [n], dtype: '<Q' });
    g.create_dataset({ name: 'node_type_id', data: new Int32Array(n).fill(type), shape: [n], dtype: '<i' });
    g.create_dataset({ name: 'node_group_id', data: new Int32Array(n), shape: [n], dtype: '<i' });
    g.create_dataset({ name: 'node_group_index', data: u64([...Array(n).keys()]), shape: [n], dtype: '<Q' });
    const grp = f.create_group(`nodes/${pop}/0`);
    grp.create_dataset({ name: 'x', data: new Float32Array(n), shape: [n], dtype: '<f' });
    if (pop === 'cells') f.create_group(`nodes/${pop}/0/dynamics_params`).create_dataset({ name: 'V_m', data: Float64Array.from(TINY.vm), shape: [n], dtype: '<d' });
  }
  f.close();
  if (t.notHdf5Edges) writeFileSync(join(dir, 'net/edges.h5'), 'source_node_id,target_node_id\n0,1\n');
  else {
    f = new h5wasm.File(join(dir, 'net/edges.h5'), 'w');
    f.create_group('edges');
    for (const [pop, src, tgt, type, e] of [['input', 'stim', 'cells', 10, TINY.input], ['inhib', 'cells', 'cells', 11, TINY.inhib], ['recur', 'cells', 'cells', 12, TINY.recur]] as const) {
      const m = e.pre.length;
      const g = f.create_group(`edges/${pop}`);
      g.create_dataset({ name: 'source_node_id', data: u64(e.pre), shape: [m], dtype: '<Q' }).create_attribute('node_population', src);
      g.create_dataset({ name: 'target_node_id', data: u64(e.post), shape: [m], dtype: '<Q' }).create_attribute('node_population', tgt);
      g.create_dataset({ name: 'edge_type_id', data: u64(Array(m).fill(type)), shape: [m], dtype: '<Q' });
      g.create_dataset({ name: 'edge_group_id', data: new Int32Array(m), shape: [m], dtype: '<i' });
      g.create_dataset({ name: 'edge_group_index', data: u64([...Array(m).keys()]), shape: [m], dtype: '<Q' });
      const grp = f.create_group(`edges/${pop}/0`);
      if (!t.drop.includes(`${pop}/syn_weight`)) grp.create_dataset({ name: 'syn_weight', data: Float64Array.from(t.syn[pop] ?? e.syn), shape: [m], dtype: '<d' });
      if (!t.drop.includes(`${pop}/delay`)) grp.create_dataset({ name: 'delay', data: Float64Array.from(e.delay), shape: [m], dtype: '<d' });
    }
    f.close();
  }
  f = new h5wasm.File(join(dir, 'in/stim.h5'), 'w');
  f.create_group('spikes');
  const s = f.create_group('spikes/stim');
  s.create_dataset({ name: 'node_ids', data: u64(TINY.spikes.node), shape: [4], dtype: '<Q' });
  s.create_dataset({ name: 'timestamps', data: Float64Array.from(TINY.spikes.t), shape: [4], dtype: '<d' });
  f.close();
  writeFileSync(join(dir, 'net/node_types.csv'), t.nodeTypes);
  writeFileSync(join(dir, 'net/edge_types.csv'), t.edgeTypes);
  writeFileSync(join(dir, 'models/cells/cells.json'), JSON.stringify(t.cellsJson));
  writeFileSync(join(dir, 'models/syn/stdp.json'), JSON.stringify(t.stdpJson));
  writeFileSync(join(dir, 'node_sets.json'), JSON.stringify({ stimulus: { population: 'stim' } }));
  const circuit = {
    manifest: { $BASE: '.', $NET: '${BASE}/net' },
    components: { point_neuron_models_dir: '$BASE/models/cells', synaptic_models_dir: '$BASE/models/syn' },
    networks: { nodes: [{ nodes_file: '$NET/nodes.h5', node_types_file: '$NET/node_types.csv' }], edges: [{ edges_file: '$NET/edges.h5', edge_types_file: '$NET/edge_types.csv' }] },
  };
  writeFileSync(join(dir, 'circuit_config.json'), JSON.stringify(circuit));
  const sim = { network: 'circuit_config.json', node_sets_file: 'node_sets.json', run: { tstop: TINY.tstop, dt: 0.1 }, inputs: { drive: { input_type: 'spikes', module: 'sonata', input_file: 'in/stim.h5', node_set: 'stimulus' } } };
  writeFileSync(join(dir, 'simulation_config.json'), JSON.stringify(sim));
  return dir;
}
