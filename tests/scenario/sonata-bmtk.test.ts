/**
 * Real SONATA files built by bmtk (tests/fixtures/sonata-bmtk/: the SONATA specification's own simulator test
 * circuits, byte for byte, provenance in its README), read with `from_sonata` and `import --sonata`. Oracles, none
 * of them chronoprop's reader: the files parsed here directly with h5wasm; numbers written down from the files'
 * text (472363762_point.json: C_m 239 pF, tau_m 44.9 ms, E_L -78, V_reset -55, V_th -43 mV, t_ref 3 ms; the edge
 * types' delays and syn_weight); NEST's documented defaults (tau_syn 2 ms); bmtk's point weight syn_weight x nsyns
 * (bmtk/simulator/pointnet/sonata_adaptors.py); and for the run, the membrane potential of the receiving cells as
 * the closed-form sum of alpha-current PSPs (NEST's iaf_psc_alpha below threshold is linear), computed here from the
 * parsed spikes and edges.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import h5wasm from 'h5wasm/node';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import { tmpdir } from 'node:os';
import { loadScenarioAsync } from '../../src/api.js';
import { importSonata } from '../../src/scenario/sonata-import.js';
import { Network } from '../../src/scenario/network.js';
import { projectionEdges } from '../../src/scenario/sonata-export.js';
import { ScenarioError } from '../../src/scenario/errors.js';

const FIX = join(__dirname, '..', 'fixtures', 'sonata-bmtk');
const TMP = mkdtempSync(join(tmpdir(), 'chronoprop-bmtk-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
beforeAll(async () => {
  await h5wasm.ready;
});

/** 472363762_point.json, as written in the file. */
const CELL = { C_m: 239, tau_m: 44.9, E_L: -78, V_reset: -55, V_th: -43, t_ref: 3 };
/** NEST 3's iaf_psc_alpha default for a parameter the file leaves out. */
const NEST_TAU_SYN = 2;

/** A dataset of an HDF5 file as numbers, read directly with h5wasm. */
function h5(file: string, path: string): number[] {
  const f = new h5wasm.File(file, 'r');
  try {
    const d = f.get(path) as InstanceType<typeof h5wasm.Dataset>;
    return Array.from(d.value as ArrayLike<number | bigint>, Number);
  } finally {
    f.close();
  }
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

async function problems(sc: object, baseDir: string): Promise<string[]> {
  const e = await loadScenarioAsync(sc, { baseDir }).then(() => null, (x: unknown) => x);
  if (!(e instanceof ScenarioError)) throw new Error(`expected a ScenarioError, got ${String(e)}`);
  return e.problems;
}

test('the fixture is the published files: each git blob id as listed in its README (the ids at the commit named there)', () => {
  const listed = new Map([...readFileSync(join(FIX, 'README.md'), 'utf8').matchAll(/^\| `([^`]+)` \| `([0-9a-f]{40})` \|$/gm)].map((m) => [m[1], m[2]]));
  const here = files(FIX).map((f) => relative(FIX, f).split(sep).join('/')).filter((f) => f !== 'README.md' && f !== 'LICENSE.txt').sort();
  expect([...listed.keys()].sort()).toEqual(here);
  for (const f of here) {
    const bytes = readFileSync(join(FIX, f));
    const blob = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
    expect(blob, f).toBe(listed.get(f));
  }
  expect(readFileSync(join(FIX, 'LICENSE.txt'), 'utf8')).toMatch(/^Copyright 2017\. Allen Institute\. All rights reserved/);
});

describe('ten_cells_spikes_nest: virtual nodes, nest:iaf_psc_alpha cells, spikes in the pre-1.0 layout', () => {
  const IN = join(FIX, 'intfire', 'ten_cells_spikes_nest', 'input');
  const scenario = (config: string) => ({
    name: 'bmtk-ten-cells', seed: 1, duration_ms: 400,
    populations: ['pre', 'post'].map((name) => ({ name, from_sonata: { config } })),
    projections: [{ name: 'pre_to_post', from_sonata: { config } }],
    record: { spikes: 'all', state: [{ population: 'post', neurons: [0, 1, 2, 3, 4], vars: ['v_mv'], every_ms: 0.25 }] },
  });

  test('counts, node and edge type properties, every edge, weight, delay and input spike; the run against closed-form PSPs', async () => {
    const sc = await loadScenarioAsync(scenario('intfire/ten_cells_spikes_nest/input/config.json'), { baseDir: FIX });
    // The files parsed directly.
    const pre = h5(join(IN, 'network/pre_post_edges.h5'), 'edges/pre_to_post/source_node_id');
    const post = h5(join(IN, 'network/pre_post_edges.h5'), 'edges/pre_to_post/target_node_id');
    const syn = h5(join(IN, 'network/pre_post_edges.h5'), 'edges/pre_to_post/0/syn_weight');
    const gids = h5(join(IN, 'external_spike_trains.h5'), 'spikes/gids');
    const stamps = h5(join(IN, 'external_spike_trains.h5'), 'spikes/timestamps');
    expect([pre.length, gids.length, new Set(syn).size, syn[0]]).toEqual([14, 17, 1, 25]);
    expect(h5(join(IN, 'network/pre_nodes.h5'), 'nodes/pre/node_type_id')).toEqual([100, 100, 100, 100, 100]);
    expect(h5(join(IN, 'network/post_nodes.h5'), 'nodes/post/node_type_id')).toEqual([100, 100, 100, 100, 100]);

    const [source, cells] = sc.populations;
    expect(source).toMatchObject({ name: 'pre', model: 'spike_source', size: 5 });
    const trains = Array.from({ length: 5 }, (_, n) => stamps.filter((_, k) => gids[k] === n).sort((a, b) => a - b));
    expect(source.params.spike_times_ms).toEqual(trains);
    expect(cells).toMatchObject({ name: 'post', model: 'alpha_lif', size: 5, init: { v_mv: CELL.E_L } });
    expect(cells.params).toEqual({
      tau_m_ms: CELL.tau_m, v_rest_mv: CELL.E_L, v_reset_mv: CELL.V_reset, v_th_mv: CELL.V_th, t_ref_ms: CELL.t_ref,
      i_bias_mv: 0, tau_syn_exc_ms: NEST_TAU_SYN, tau_syn_inh_ms: NEST_TAU_SYN,
    });
    const p = sc.projections[0];
    expect(p).toMatchObject({ from: 'pre', to: 'post', receptor: 'exc', delay_ms: 0.1, connect: { rule: 'pairs', pre, post } });
    // 25 pA peak current in mV (R = tau_m / C_m), the double whose NEST weight is 25 again.
    const w = p.weight_mv as number;
    expect(Math.abs(w - (25 * CELL.tau_m) / CELL.C_m)).toBeLessThan(1e-14);
    expect(w * (CELL.C_m / CELL.tau_m)).toBe(25);
    expect(p.plasticity).toBeUndefined();

    // The folder form reads the same network.
    const folder = await loadScenarioAsync(scenario('intfire/ten_cells_spikes_nest/input'), { baseDir: FIX });
    const strip = (s: typeof sc) => JSON.stringify([s.populations, s.projections].map((l) => l.map(({ from_sonata: _, ...x }) => x)));
    expect(strip(folder)).toBe(strip(sc));

    // The run: below threshold, v(t) = E_L + sum over arrived inputs of the alpha PSP
    // w e / (tau_m tau_s) e^{-s/tau_m} (1 - e^{-a s}(1 + a s)) / a^2, s = t - arrival, a = 1/tau_s - 1/tau_m.
    const net = new Network(sc);
    net.run(sc.duration_ms);
    expect(net.spikes.get('post')!.count).toBe(0);
    expect(net.spikes.get('pre')!.count).toBe(stamps.filter((t) => t < 400).length);
    const [tm, ts] = [CELL.tau_m, NEST_TAU_SYN];
    const a = 1 / ts - 1 / tm;
    const psp = (s: number) => (s <= 0 ? 0 : ((w * Math.E) / (tm * ts)) * Math.exp(-s / tm) * ((1 - Math.exp(-a * s) * (1 + a * s)) / (a * a)));
    const rec = net.state[0];
    const times = rec.times();
    expect(times.length).toBe(1600);
    let peak = 0;
    for (let n = 0; n < 5; n++) {
      const v = rec.trace(n, 0);
      const inputs = pre.flatMap((src, k) => (post[k] === n ? trains[src].map((t) => t + 0.1) : []));
      for (let i = 0; i < times.length; i++) {
        const expected = CELL.E_L + inputs.reduce((s, at) => s + psp(times[i] - at), 0);
        expect(Math.abs(v[i] - expected), `post ${n} at ${times[i]} ms`).toBeLessThan(1e-9);
        peak = Math.max(peak, v[i] - CELL.E_L);
      }
    }
    expect(peak).toBeGreaterThan(0.5); // the inputs arrive: PSPs of about 0.57 mV, summing
  }, 60_000);
});

describe('ten_cells_iclamp_nest: one population of two node types, nsyns per edge', () => {
  const IN = join(FIX, 'intfire', 'ten_cells_iclamp_nest', 'input');
  const config = 'intfire/ten_cells_iclamp_nest/input/circuit_config.json';
  const pop = (name: string, node_type_id?: number | number[]) => ({ name, from_sonata: { config, population: 'ten_cells_iclamp', ...(node_type_id === undefined ? {} : { node_type_id }) } });
  const edges = { name: 'e_to_i', from_sonata: { config, population: 'ten_cells_iclamp_to_ten_cells_iclamp' } };

  test('node_type_id subsets: exc and inh populations, edges re-indexed into them, weights syn_weight x nsyns', async () => {
    const sc = await loadScenarioAsync({ name: 'ten', seed: 1, duration_ms: 50, populations: [pop('exc', 100), pop('inh', [101])], projections: [edges] }, { baseDir: FIX });
    const types = h5(join(IN, 'network/ten_cells_iclamp_nodes.h5'), 'nodes/ten_cells_iclamp/node_type_id');
    const file = join(IN, 'network/ten_cells_iclamp_ten_cells_iclamp_edges.h5');
    const src = h5(file, 'edges/ten_cells_iclamp_to_ten_cells_iclamp/source_node_id');
    const tgt = h5(file, 'edges/ten_cells_iclamp_to_ten_cells_iclamp/target_node_id');
    const nsyns = h5(file, 'edges/ten_cells_iclamp_to_ten_cells_iclamp/0/nsyns');
    const excIds = types.flatMap((t, i) => (t === 100 ? [i] : []));
    const inhIds = types.flatMap((t, i) => (t === 101 ? [i] : []));
    expect([excIds, inhIds]).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]);
    expect(sc.populations.map((p) => [p.name, p.model, p.size])).toEqual([['exc', 'alpha_lif', 5], ['inh', 'alpha_lif', 5]]);
    for (const p of sc.populations) expect(p.params).toMatchObject({ tau_m_ms: CELL.tau_m, v_rest_mv: CELL.E_L, v_th_mv: CELL.V_th });

    const p = sc.projections[0];
    expect(p).toMatchObject({ from: 'exc', to: 'inh', receptor: 'exc', delay_ms: 2 });
    expect(p.connect).toEqual({ rule: 'pairs', pre: src.map((s) => excIds.indexOf(s)), post: tgt.map((t) => inhIds.indexOf(t)) });
    expect(new Set(nsyns)).toEqual(new Set([20, 40, 60, 80]));
    // syn_weight 10 is the edge type's (edge_types.csv), nsyns each edge's: bmtk's weight is their product, in pA.
    const w = p.weight_mv as number[];
    expect(w).toHaveLength(20);
    w.forEach((x, k) => {
      expect(Math.abs(x - (10 * nsyns[k] * CELL.tau_m) / CELL.C_m)).toBeLessThan(1e-12);
      expect(x * (CELL.C_m / CELL.tau_m)).toBe(10 * nsyns[k]);
    });

    // It builds and runs: without the (refused) current clamp nothing drives it.
    const net = new Network(sc);
    const e = projectionEdges(net, 'e_to_i');
    expect(e.pre.length).toBe(20);
    net.run(50);
    expect(net.spikeCount).toBe(0);
  }, 60_000);

  test('refused, one line each: the population whole (two node types), a type it lacks; import of the folder (its current clamp)', async () => {
    const nodes = join(IN, 'network/ten_cells_iclamp_nodes.h5');
    expect(await problems({ name: 't', seed: 1, duration_ms: 10, populations: [pop('cells')] }, FIX)).toEqual([
      `populations[0].from_sonata: ${nodes}: nodes/ten_cells_iclamp/node_type_id: expected one type for the whole population (from_sonata.node_type_id selects nodes by type), found 2 types (100, 101)`,
    ]);
    expect(await problems({ name: 't', seed: 1, duration_ms: 10, populations: [pop('cells', [100, 105])] }, FIX)).toEqual([
      `populations[0].from_sonata: ${nodes}: nodes/ten_cells_iclamp/node_type_id: expected nodes of each type from_sonata.node_type_id names (the population has types 100, 101), found none of type 105`,
    ]);
    const imp = await importSonata(IN).then(() => null, (x: unknown) => x);
    expect((imp as ScenarioError).problems).toEqual([
      `${IN}/simulation_config.json: inputs.current_clamp_1.input_type: expected spikes (the only input chronoprop maps: spike times onto virtual nodes), found "current_clamp"`,
    ]);
    const whole = await importSonata(join(IN, 'circuit_config.json'), { durationMs: 10 }).then(() => null, (x: unknown) => x);
    expect((whole as ScenarioError).problems).toEqual([
      `${nodes}: nodes/ten_cells_iclamp/node_type_id: expected one type for the whole population (a scenario's from_sonata.node_type_id selects nodes by type), found 2 types (100, 101)`,
    ]);
  }, 60_000);
});

describe('what chronoprop cannot run is refused in one line naming the field and value', () => {
  test('nrn:IntFire1 (ten_cells_spikes_nrn, as published)', async () => {
    const IN = join(FIX, 'intfire', 'ten_cells_spikes_nrn', 'input');
    const line = `${IN}/network/post_node_types.csv: model_template of node type 100: expected one of nest:iaf_psc_exp_ps, nest:iaf_psc_exp, nest:iaf_psc_delta, nest:iaf_psc_alpha_ps, nest:iaf_psc_alpha, found nrn:IntFire1`;
    expect(await problems({ name: 't', seed: 1, duration_ms: 10, populations: [{ name: 'post', from_sonata: { config: 'intfire/ten_cells_spikes_nrn/input/circuit_config.json' } }] }, FIX)).toEqual([`populations[0].from_sonata: ${line}`]);
    const imp = await importSonata(join(IN, 'circuit_config.json'), { durationMs: 10 }).then(() => null, (x: unknown) => x);
    expect((imp as ScenarioError).problems).toEqual([line]);
  }, 60_000);

  test('a weight function of the user\'s; nsyns given per edge type multiplies as bmtk does; a missing delay', async () => {
    const copy = join(TMP, 'fix');
    cpSync(FIX, copy, { recursive: true });
    const types = join(copy, 'intfire/ten_cells_spikes_nest/input/network/pre_post_edge_types.csv');
    const text = readFileSync(types, 'utf8');
    const sc = { name: 't', seed: 1, duration_ms: 10, populations: ['pre', 'post'].map((name) => ({ name, from_sonata: { config: 'intfire/ten_cells_spikes_nest/input' } })), projections: [{ name: 'pre_to_post', from_sonata: { config: 'intfire/ten_cells_spikes_nest/input' } }] };
    writeFileSync(types, text.replace(' wmax ', ' gaussianLL '));
    expect(await problems(sc, copy)).toEqual([
      `projections[0].from_sonata: ${types}: weight_function of edge type 100: expected none or one of bmtk's built-in wmax, default_weight_fnc, set_syn_weight (syn_weight x nsyns; chronoprop runs no Python weight function), found gaussianLL`,
    ]);
    // (bmtk wrote these types files with CRLF line ends: read as they are.)
    writeFileSync(types, text.replace('model_template\r\n', 'model_template nsyns\r\n').replace('static_synapse\r\n', 'static_synapse 3\r\n'));
    const three = await loadScenarioAsync(sc, { baseDir: copy });
    expect(Math.abs((three.projections[0].weight_mv as number) - (3 * 25 * CELL.tau_m) / CELL.C_m)).toBeLessThan(1e-13);
    // No delay in the files (bmtk's 300_pointneurons input edges): refused, unless the scenario gives delay_ms.
    writeFileSync(types, text.replace(' delay ', ' ').replace(' 0.1 ', ' '));
    const edges = join(copy, 'intfire/ten_cells_spikes_nest/input/network/pre_post_edges.h5');
    expect(await problems(sc, copy)).toEqual([
      `projections[0].from_sonata: ${edges}: edges/pre_to_post/0/delay: expected a dataset (or a delay column in ${types}, or delay_ms beside from_sonata), found none (a required dataset is missing)`,
    ]);
    const given = await loadScenarioAsync({ ...sc, projections: [{ ...sc.projections[0], delay_ms: 1 }] }, { baseDir: copy });
    expect(given.projections[0]).toMatchObject({ delay_ms: 1, from: 'pre', to: 'post' });
  }, 60_000);
});
