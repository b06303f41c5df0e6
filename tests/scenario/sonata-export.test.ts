/**
 * SONATA export (scenario/sonata-export.ts, formats/sonata-network.ts). Oracles: the run's own final-weights table
 * (weights/<projection>.csv, written by the run's recorder, not by the exporter) for every edge and weight; the
 * run's spikes/<source>.csv for the input spike files (the sources run alone must spike as in the full run); the
 * closed-form unit conversion w C_m / tau_m for NEST's pA; the file read back for delays (written == read, bit for
 * bit).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadScenario, runScenario } from '../../src/api.js';
import { exportSonata, NEST_C_M_PF, projectionEdges } from '../../src/scenario/sonata-export.js';
import { readSonataEdges, readSonataNodes } from '../../src/formats/sonata-network.js';
import { readSonataSpikes } from '../../src/formats/sonata.js';
import { Network } from '../../src/scenario/network.js';

const ROOT_TMP = mkdtempSync(join(tmpdir(), 'chronoprop-sonata-'));
afterAll(() => rmSync(ROOT_TMP, { recursive: true, force: true }));

const SMALL = join(__dirname, '..', 'fixtures', 'sweep', 'small.json');
const SETS = ['projections.p.weight_mv={"uniform":[1,3]}', 'projections.p.delay_ms={"uniform":[0.5,2]}', 'record.weights=[{"projection":"p","every_ms":100}]'];

const rowsOf = (csv: string) => csv.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
const key = (r: number[]) => r.join(',');

describe('chronoprop export --sonata', () => {
  test.each([
    ['exponential synapses', [], 'nest:iaf_psc_exp_ps', 20],
    ['voltage jumps', ['populations.n.params.tau_syn_exc_ms=0', 'populations.n.params.tau_syn_inh_ms=0'], 'nest:iaf_psc_delta', null],
  ])('%s: every edge, weight and delay of the run, in NEST units', async (_, extra, template, tauM) => {
    const sc = loadScenario(SMALL, { set: [...SETS, ...extra], seed: 3 });
    const tmp = mkdtempSync(join(ROOT_TMP, 'x-'));
    const ex = await exportSonata(sc, join(tmp, 'sonata'));
    const run = await runScenario(sc, join(tmp, 'run'), { workers: 1, report: false });

    // Nodes: every population with its size; the neuron model's template and NEST parameters.
    const nodes = await readSonataNodes(join(tmp, 'sonata/network/nodes.h5'));
    expect([...nodes].map(([n, v]) => [n, v.size])).toEqual([['in', 100], ['n', 8]]);
    const types = readFileSync(join(tmp, 'sonata/network/node_types.csv'), 'utf8');
    expect(types).toContain(`101 point_neuron ${template} n.json n\n`);
    expect(types).toContain('100 virtual NONE NONE in\n');
    const dyn = JSON.parse(readFileSync(join(tmp, 'sonata/components/point_neuron_models_dir/n.json'), 'utf8'));
    expect(dyn).toMatchObject({ C_m: 250, tau_m: 20, V_th: -50, E_L: -70 });

    // Edges: the multiset of (pre, post, weight_mv) is the run's final-weights table, exactly.
    const edges = (await readSonataEdges(join(tmp, 'sonata/network/edges.h5'))).get('p')!;
    expect([edges.source, edges.target]).toEqual(['in', 'n']);
    const fromFile = [...edges.pre].map((p, k) => key([p, edges.post[k], edges.weightMv![k]])).sort();
    const fromRun = rowsOf(readFileSync(join(tmp, 'run/weights/p.csv'), 'utf8')).map(key).sort();
    expect(fromFile).toEqual(fromRun);
    expect(fromFile.length).toBe(ex.edges);
    // NEST's weights: pA = mV x C_m / tau_m for exponential currents; mV as they are for voltage jumps.
    for (let k = 0; k < edges.pre.length; k++) expect(edges.synWeight[k]).toBe(tauM === null ? edges.weightMv![k] : edges.weightMv![k] * (NEST_C_M_PF / tauM));
    // Delays: those the network was built with, bit for bit, in the same edge order.
    const built = projectionEdges(new Network(sc), 'p');
    expect(Array.from(edges.delayMs)).toEqual(Array.from(built.delay));
    expect(Array.from(edges.pre)).toEqual(Array.from(built.pre));
    expect(Math.min(...edges.delayMs)).toBeGreaterThanOrEqual(0.5);

    // Inputs: the source's spikes are those of the full run.
    const input = (await readSonataSpikes(join(tmp, 'sonata/inputs/in.h5'))).get('in')!;
    const runSpikes = rowsOf(readFileSync(join(tmp, 'run/spikes/in.csv'), 'utf8'));
    expect(Array.from(input.neuron)).toEqual(runSpikes.map((r) => r[0]));
    expect(Array.from(input.t)).toEqual(runSpikes.map((r) => r[1]));
    expect(runSpikes.length).toBe((run.runJson.metrics as { populations: { in: { spikes: number } } }).populations.in.spikes);
    expect(ex.notMapped).toEqual([]);
  }, 60_000);

  test('what does not map is stated: mixed receptors, zero delays, plasticity', async () => {
    const sc = loadScenario(SMALL, {
      set: ['populations.n.params.tau_syn_exc_ms=0', 'projections.p.delay_ms=0', 'projections.p.plasticity={"rule":"stdp","a_plus":0.01,"a_minus":0.01,"tau_plus_ms":20,"tau_minus_ms":20,"w_min_mv":0,"w_max_mv":5,"pairing":"nearest"}'],
    });
    const ex = await exportSonata(sc, join(mkdtempSync(join(ROOT_TMP, 'x-')), 'x'));
    expect(ex.notMapped).toEqual([
      'populations.n: one receptor delta (tau 0) and the other exponential; no NEST model has both; written as chronoprop:lif',
      "projections.p: delays below NEST's resolution (0.1 ms); NEST needs delays of at least one step",
      'projections.p: plasticity not exported (nearest-spike pairing; nest:stdp_synapse pairs all to all); edges are static_synapse with the initial weights',
    ]);
  }, 60_000);

  test.each([
    ['additive', 0],
    ['multiplicative', 1],
  ])('%s STDP as nest:stdp_synapse: lambda = a_plus / w_max, alpha = a_minus / a_plus, Wmax in pA, tau_minus on the neuron', async (dep, mu) => {
    const sc = loadScenario(SMALL, {
      set: [`projections.p.plasticity={"rule":"stdp","a_plus":0.01,"a_minus":0.012,"tau_plus_ms":16,"tau_minus_ms":33,"w_min_mv":0,"w_max_mv":5,"weight_dependence":"${dep}"}`],
    });
    const dir = join(mkdtempSync(join(ROOT_TMP, 'x-')), 'x');
    const ex = await exportSonata(sc, dir);
    expect(readFileSync(join(dir, 'network/edge_types.csv'), 'utf8')).toContain('100 stdp_synapse p.json exc stdp\n');
    const syn = JSON.parse(readFileSync(join(dir, 'components/synaptic_models_dir/p.json'), 'utf8'));
    expect(syn).toEqual({ tau_plus: 16, lambda: 0.01 / 5, alpha: 0.012 / 0.01, mu_plus: mu, mu_minus: mu, Wmax: (5 * NEST_C_M_PF) / 20 });
    expect(JSON.parse(readFileSync(join(dir, 'components/point_neuron_models_dir/n.json'), 'utf8')).tau_minus).toBe(33);
    expect(ex.notMapped).toEqual(['projections.p: nest:stdp_synapse takes the delay as dendritic, chronoprop as axonal, so NEST pairs spikes offset by twice the delay']);
  }, 60_000);
});
