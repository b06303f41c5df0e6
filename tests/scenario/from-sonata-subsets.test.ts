/**
 * `from_sonata` with node_type_id subsets (scenario/from-sonata.ts, docs/sonata.md): one SONATA node population of
 * several node types read as several chronoprop populations, and edge populations whose edges run between them.
 * Oracle: a two-population network (exc, inh, a Poisson source; six projections, drawn weights and delays, STDP on
 * ee) is exported, and this test merges its files with h5wasm, as bmtk lays out a network, into one node population
 * `v1` whose exc and inh nodes (node types 101 and 102) are interleaved, and two edge populations, `in_to_v1` and
 * `v1_to_v1`, holding every projection's edges (one edge type each) with node ids renumbered into v1. Read back by
 * node_type_id and edge_type_id (or from/to with "outside": "drop"), the network has every edge, weight and delay
 * of the original's, in the same order, and its run writes the same spikes and final weights byte for byte.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import h5wasm from 'h5wasm/node';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadScenario, loadScenarioAsync, runScenario } from '../../src/api.js';
import { exportSonata, projectionEdges } from '../../src/scenario/sonata-export.js';
import { Network } from '../../src/scenario/network.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import type { Scenario } from '../../src/scenario/schema.js';

const TMP = mkdtempSync(join(tmpdir(), 'chronoprop-subsets-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const ORIGINAL = {
  name: 'ei', seed: 3, duration_ms: 300,
  populations: [
    { name: 'in', model: 'poisson_source', size: 30, params: { rate_hz: 40 } },
    { name: 'exc', model: 'lif', size: 16, params: { tau_m_ms: 20, v_th_mv: -50, tau_syn_exc_ms: 5, tau_syn_inh_ms: 10, i_bias_mv: 17 }, init: { v_mv: { uniform: [-70, -50] } } },
    { name: 'inh', model: 'lif', size: 6, params: { tau_m_ms: 10, v_th_mv: -52, v_reset_mv: -65, tau_syn_exc_ms: 3, tau_syn_inh_ms: 6, i_bias_mv: 15 }, init: { v_mv: { uniform: [-70, -55] } } },
  ],
  projections: [
    { name: 'in_exc', from: 'in', to: 'exc', receptor: 'exc', connect: { rule: 'fixed_probability', p: 0.3 }, weight_mv: { uniform: [2, 4] }, delay_ms: { uniform: [0.5, 2] } },
    { name: 'in_inh', from: 'in', to: 'inh', receptor: 'exc', connect: { rule: 'fixed_probability', p: 0.3 }, weight_mv: 2.5, delay_ms: 1 },
    {
      name: 'ee', from: 'exc', to: 'exc', receptor: 'exc', connect: { rule: 'fixed_probability', p: 0.25 }, weight_mv: { uniform: [0.5, 1.5] }, delay_ms: { uniform: [1, 3] },
      plasticity: { rule: 'stdp', a_plus: 0.01, a_minus: 0.012, tau_plus_ms: 20, tau_minus_ms: 20, w_min_mv: 0, w_max_mv: 2 },
    },
    { name: 'ei', from: 'exc', to: 'inh', receptor: 'exc', connect: { rule: 'fixed_probability', p: 0.4 }, weight_mv: 1.5, delay_ms: { uniform: [0.5, 1.5] } },
    { name: 'ie', from: 'inh', to: 'exc', receptor: 'inh', connect: { rule: 'fixed_probability', p: 0.5 }, weight_mv: { uniform: [-5, -2] }, delay_ms: 1 },
    { name: 'ii', from: 'inh', to: 'inh', receptor: 'inh', connect: { rule: 'fixed_probability', p: 0.5 }, weight_mv: -3, delay_ms: 0.7 },
  ],
  record: { spikes: 'all', weights: [{ projection: 'ee', every_ms: 100 }] },
};

/** v1's node ids in order: which original population and neuron each is (exc and inh interleaved, each in order). */
const V1: ['exc' | 'inh', number][] = [];
for (let e = 0, i = 0; e < 16 || i < 6; ) {
  if (e < 16) V1.push(['exc', e++]);
  if (e < 16 && e % 3 === 0) V1.push(['exc', e++]);
  if (i < 6) V1.push(['inh', i++]);
}
const v1Id = (pop: string, k: number) => V1.findIndex(([p, j]) => p === pop && j === k);
/** The exporter's type ids: populations 100 + k, projections 100 + k, in scenario order. */
const NODE_TYPE = { exc: 101, inh: 102 };
const EDGE_TYPE = Object.fromEntries(ORIGINAL.projections.map((p, k) => [p.name, 100 + k]));

const u64 = (a: Iterable<number> | ArrayLike<number>) => BigUint64Array.from(Array.from(a, (x) => BigInt(x)));

/** Writes the exported folder `son`'s network merged as described above into `merged` (a copy of the rest). */
function merge(son: string, merged: string, sc: Scenario): void {
  cpSync(son, merged, { recursive: true });
  const read = (file: string) => new h5wasm.File(join(son, file), 'r');
  const col = (f: InstanceType<typeof h5wasm.File>, path: string) => Array.from((f.get(path) as InstanceType<typeof h5wasm.Dataset>).value as ArrayLike<number | bigint>, Number);

  const nodes = read('network/nodes.h5');
  const vm = { exc: col(nodes, 'nodes/exc/0/dynamics_params/V_m'), inh: col(nodes, 'nodes/inh/0/dynamics_params/V_m') };
  nodes.close();
  const out = new h5wasm.File(join(merged, 'network/nodes.h5'), 'w');
  out.create_group('nodes');
  const write = (pop: string, types: number[], v: number[] | null) => {
    const n = types.length;
    const g = out.create_group(`nodes/${pop}`);
    g.create_dataset({ name: 'node_id', data: u64(types.keys()), shape: [n], dtype: '<Q' });
    g.create_dataset({ name: 'node_type_id', data: u64(types), shape: [n], dtype: '<Q' });
    g.create_dataset({ name: 'node_group_id', data: new Uint32Array(n), shape: [n], dtype: '<I' });
    g.create_dataset({ name: 'node_group_index', data: u64(types.keys()), shape: [n], dtype: '<Q' });
    g.create_group('0');
    if (v) out.create_group(`nodes/${pop}/0/dynamics_params`).create_dataset({ name: 'V_m', data: Float64Array.from(v), shape: [n], dtype: '<d' });
  };
  write('in', Array(30).fill(100), null);
  write('v1', V1.map(([p]) => NODE_TYPE[p]), V1.map(([p, k]) => vm[p][k]));
  out.close();

  const edges = read('network/edges.h5');
  const groups: Record<string, { pre: number[]; post: number[]; type: number[]; syn: number[]; delay: number[]; mv: number[] }> = {};
  for (const p of sc.projections) {
    const into = p.from === 'in' ? 'in_to_v1' : 'v1_to_v1';
    const g = (groups[into] ??= { pre: [], post: [], type: [], syn: [], delay: [], mv: [] });
    const at = `edges/${p.name}`;
    const pre = col(edges, `${at}/source_node_id`);
    g.pre.push(...pre.map((k) => (p.from === 'in' ? k : v1Id(p.from, k))));
    g.post.push(...col(edges, `${at}/target_node_id`).map((k) => v1Id(p.to, k)));
    g.type.push(...col(edges, `${at}/edge_type_id`));
    g.syn.push(...col(edges, `${at}/0/syn_weight`));
    g.delay.push(...col(edges, `${at}/0/delay`));
    g.mv.push(...col(edges, `${at}/0/weight_mv`));
  }
  edges.close();
  const eout = new h5wasm.File(join(merged, 'network/edges.h5'), 'w');
  eout.create_group('edges');
  for (const [name, g] of Object.entries(groups)) {
    const m = g.pre.length;
    const e = eout.create_group(`edges/${name}`);
    e.create_dataset({ name: 'source_node_id', data: u64(g.pre), shape: [m], dtype: '<Q' }).create_attribute('node_population', name === 'in_to_v1' ? 'in' : 'v1');
    e.create_dataset({ name: 'target_node_id', data: u64(g.post), shape: [m], dtype: '<Q' }).create_attribute('node_population', 'v1');
    e.create_dataset({ name: 'edge_type_id', data: u64(g.type), shape: [m], dtype: '<Q' });
    e.create_dataset({ name: 'edge_group_id', data: new Uint32Array(m), shape: [m], dtype: '<I' });
    e.create_dataset({ name: 'edge_group_index', data: u64(g.pre.keys()), shape: [m], dtype: '<Q' });
    const grp = eout.create_group(`edges/${name}/0`);
    grp.create_dataset({ name: 'syn_weight', data: Float64Array.from(g.syn), shape: [m], dtype: '<d' });
    grp.create_dataset({ name: 'delay', data: Float64Array.from(g.delay), shape: [m], dtype: '<d' });
    grp.create_dataset({ name: 'weight_mv', data: Float64Array.from(g.mv), shape: [m], dtype: '<d' });
  }
  eout.close();
}

/** The scenario reading the merged circuit: ie and ii by edge type; in_inh and ei by from/to, the rest dropped. */
function subsetScenario(): { name: string; seed: number; duration_ms: number; populations: Record<string, unknown>[]; projections: Record<string, unknown>[]; record: unknown } {
  const config = 'merged';
  return {
    name: 'ei', seed: 3, duration_ms: 300,
    populations: [
      { name: 'in', from_sonata: { config } },
      { name: 'exc', from_sonata: { config, population: 'v1', node_type_id: NODE_TYPE.exc } },
      { name: 'inh', from_sonata: { config, population: 'v1', node_type_id: [NODE_TYPE.inh] } },
    ],
    projections: [
      { name: 'in_exc', from_sonata: { config, population: 'in_to_v1', edge_type_id: EDGE_TYPE.in_exc } },
      { name: 'in_inh', to: 'inh', from_sonata: { config, population: 'in_to_v1', outside: 'drop' } },
      { name: 'ee', from_sonata: { config, population: 'v1_to_v1', edge_type_id: [EDGE_TYPE.ee] } },
      { name: 'ei', from: 'exc', to: 'inh', from_sonata: { config, population: 'v1_to_v1', outside: 'drop' } },
      { name: 'ie', from_sonata: { config, population: 'v1_to_v1', edge_type_id: EDGE_TYPE.ie } },
      { name: 'ii', from_sonata: { config, population: 'v1_to_v1', edge_type_id: EDGE_TYPE.ii } },
    ],
    record: ORIGINAL.record,
  };
}

let dir = '';
let sc: Scenario;
beforeAll(async () => {
  await h5wasm.ready;
  sc = loadScenario(ORIGINAL);
  dir = mkdtempSync(join(TMP, 'm-'));
  await exportSonata(sc, join(dir, 'son'));
  merge(join(dir, 'son'), join(dir, 'merged'), sc);
}, 120_000);

async function problems(s: object): Promise<string[]> {
  const e = await loadScenarioAsync(s, { baseDir: dir }).then(() => null, (x: unknown) => x);
  if (!(e instanceof ScenarioError)) throw new Error(`expected a ScenarioError, got ${String(e)}`);
  return e.problems;
}

describe('one SONATA population of two node types as two populations', () => {
  test('every edge, weight and delay of the original, in order; the same spikes and final weights', async () => {
    const back = await loadScenarioAsync(subsetScenario(), { baseDir: dir });
    expect(back.populations.map((p) => [p.name, p.model, p.size])).toEqual([['in', 'spike_source', 30], ['exc', 'lif', 16], ['inh', 'lif', 6]]);
    expect(back.populations[1].from_sonata).toMatchObject({ population: 'v1', node_type_id: 101 });
    expect(back.projections.map((p) => [p.name, p.from, p.to])).toEqual(sc.projections.map((p) => [p.name, p.from, p.to]));
    const a = new Network(sc);
    const b = new Network(back);
    let edges = 0;
    for (const p of sc.projections) {
      const ea = projectionEdges(a, p.name);
      const eb = projectionEdges(b, p.name);
      for (const k of ['pre', 'post', 'weight', 'delay'] as const) expect(Array.from(eb[k]), `${p.name}.${k}`).toEqual(Array.from(ea[k]));
      expect(ea.pre.length, p.name).toBeGreaterThan(5);
      edges += ea.pre.length;
    }
    expect(edges).toBeGreaterThan(200);
    for (const p of ['exc', 'inh']) {
      const va = a.populations.get(p)!.group.state.v_mv;
      const vb = b.populations.get(p)!.group.state.v_mv;
      for (let i = 0; i < va.length; i++) expect(vb.get(i), `${p}[${i}].v_mv`).toBe(va.get(i));
    }

    await runScenario(sc, join(dir, 'a'), { workers: 1, report: false });
    await runScenario(back, join(dir, 'b'), { workers: 1, report: false });
    let spikes = 0;
    for (const f of ['spikes/in.csv', 'spikes/exc.csv', 'spikes/inh.csv', 'weights/ee.csv', 'weights/ee.series.csv']) {
      const text = readFileSync(join(dir, 'a', f), 'utf8');
      expect(readFileSync(join(dir, 'b', f), 'utf8') === text, f).toBe(true);
      if (f.startsWith('spikes/') && f !== 'spikes/in.csv') spikes += text.split('\n').length - 2;
    }
    expect(spikes).toBeGreaterThan(50);
  }, 240_000);

  test('several node types in one population: parameters and initial potentials per neuron, in node id order', async () => {
    const both = await loadScenarioAsync({ name: 'all', seed: 1, duration_ms: 10, populations: [{ name: 'v1', from_sonata: { config: 'merged', node_type_id: [102, 101] } }] }, { baseDir: dir });
    const p = both.populations[0];
    expect(p.size).toBe(22);
    const exc = sc.populations[1].params as Record<string, number>;
    const inh = sc.populations[2].params as Record<string, number>;
    expect(p.params.tau_m_ms).toEqual(V1.map(([q]) => (q === 'exc' ? exc.tau_m_ms : inh.tau_m_ms)));
    expect(p.params.v_reset_mv).toEqual(V1.map(([q]) => (q === 'exc' ? -70 : inh.v_reset_mv)));
    const net = new Network(sc);
    expect(p.init.v_mv).toEqual(V1.map(([q, k]) => net.populations.get(q)!.group.state.v_mv.get(k)));
  }, 60_000);
});

describe('refused, one line each', () => {
  const edgesFile = () => join(dir, 'merged', 'network', 'edges.h5');
  const circuit = () => join(dir, 'merged', 'circuit_config.json');
  const withProjection = (p: Record<string, unknown>) => ({ ...subsetScenario(), projections: [p] });

  test('edges outside the populations inferred, drop without from/to, an absent edge type, a from not read from the node population', async () => {
    const ee = projectionEdges(new Network(sc), 'ee').pre.length;
    const firstEi = projectionEdges(new Network(sc), 'ei');
    // The ends come from edge 0 (exc -> exc); edge `ee` is the first exc -> inh edge.
    expect(await problems(withProjection({ name: 'x', from_sonata: { config: 'merged', population: 'v1_to_v1' } }))).toEqual([
      `projections[0].from_sonata: ${edgesFile()}: edges/v1_to_v1 edge ${ee}: expected an edge from exc to exc (the populations read from v1 and v1 of ${circuit()}), found its target node ${v1Id('inh', firstEi.post[0])} (node_type_id 102) outside exc (from_sonata.edge_type_id selects edges by type; "outside": "drop" leaves such edges out)`,
    ]);
    expect(await problems(withProjection({ name: 'x', from_sonata: { config: 'merged', population: 'v1_to_v1', outside: 'drop' } }))).toEqual([
      'projections[0].from must be given with from_sonata.outside "drop" (node population v1 is read by several populations: exc, inh)',
    ]);
    expect(await problems(withProjection({ name: 'x', from_sonata: { config: 'merged', population: 'v1_to_v1', edge_type_id: [102, 100] } }))).toEqual([
      `projections[0].from_sonata.edge_type_id must name edge types of edges/v1_to_v1 in ${edgesFile()} (102, 103, 104, 105), got 100`,
    ]);
    expect(await problems(withProjection({ name: 'x', from: 'in', from_sonata: { config: 'merged', population: 'v1_to_v1', edge_type_id: 102 } }))).toEqual([
      `projections[0].from must name a population read with from_sonata from node population v1 of ${circuit()} (exc, inh), got "in"`,
    ]);
    // Two edge types between the same two populations (in -> exc and in -> inh, both into one population v1).
    const whole = { ...subsetScenario(), record: { spikes: 'all' }, populations: [{ name: 'in', from_sonata: { config: 'merged' } }, { name: 'v1', from_sonata: { config: 'merged', node_type_id: [101, 102] } }] };
    expect(await problems({ ...whole, projections: [{ name: 'x', from_sonata: { config: 'merged', population: 'in_to_v1' } }] })).toEqual([
      `projections[0].from_sonata: ${edgesFile()}: edges/in_to_v1/edge_type_id: expected one type for the whole population (a projection takes one: from_sonata.edge_type_id selects it), found 2 types (100, 101)`,
    ]);
    const one = await loadScenarioAsync({ ...whole, projections: [{ name: 'x', from_sonata: { config: 'merged', population: 'in_to_v1', edge_type_id: 101 } }] }, { baseDir: dir });
    const ei = projectionEdges(new Network(sc), 'in_inh');
    expect(one.projections[0].connect).toEqual({ rule: 'pairs', pre: Array.from(ei.pre), post: Array.from(ei.post, (k) => v1Id('inh', k)) });
  }, 60_000);

  test('the schema: node_type_id only on populations, edge_type_id and outside only on projections, their forms', async () => {
    const base = subsetScenario();
    const pop = (f: Record<string, unknown>) => ({ ...base, populations: [{ name: 'exc', from_sonata: { config: 'merged', population: 'v1', ...f } }], projections: [] });
    expect(await problems(pop({ node_type_id: -1 }))).toEqual(['populations[0].from_sonata.node_type_id must be >= 0, got -1']);
    expect(await problems(pop({ node_type_id: 'exc' }))).toEqual(['populations[0].from_sonata.node_type_id must be a type id (an integer >= 0) or a list of them, got "exc"']);
    expect(await problems(pop({ node_type_id: [] }))).toEqual(['populations[0].from_sonata.node_type_id must have at least 1 element, got []']);
    expect(await problems(pop({ edge_type_id: 101 }))).toEqual(['populations[0].from_sonata has unknown field "edge_type_id"']);
    expect(await problems(withProjection({ name: 'x', from_sonata: { config: 'merged', population: 'v1_to_v1', node_type_id: 101 } }))).toEqual(['projections[0].from_sonata has unknown field "node_type_id"']);
    expect(await problems(withProjection({ name: 'x', from_sonata: { config: 'merged', population: 'v1_to_v1', outside: 'keep' } }))).toEqual([
      'projections[0].from_sonata.outside must be one of "refuse", "drop", got "keep"',
    ]);
  }, 60_000);
});
