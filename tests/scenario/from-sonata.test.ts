/**
 * `from_sonata` on populations and projections (scenario/from-sonata.ts, docs/sonata.md). Oracles: chronoprop's
 * exporter's files and the original scenario they were exported from, run with the same seed: the network built from
 * the from_sonata scenario has every edge, weight and delay of the original's, bit for bit and in the same order,
 * and its run writes the same spikes (and the plastic projections' final weights) byte for byte. The resolved
 * populations and projections equal what `chronoprop import --sonata` writes for the same files (importSonata), and
 * a hand-written circuit in bmtk's layout (tiny-sonata.ts) reads as import reads it. Each file read is recorded with
 * its SHA-256, which the scenario's hash covers; bad input is one line naming the field.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadScenario, loadScenarioAsync, runScenario, validateScenario } from '../../src/api.js';
import { exportSonata, projectionEdges } from '../../src/scenario/sonata-export.js';
import { importSonata } from '../../src/scenario/sonata-import.js';
import { Network } from '../../src/scenario/network.js';
import { scenarioHash } from '../../src/scenario/runner.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { TINY, writeTinySonata } from './tiny-sonata.js';

const TMP = mkdtempSync(join(tmpdir(), 'chronoprop-from-sonata-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const SMALL = join(__dirname, '..', 'fixtures', 'sweep', 'small.json');
const SMALL_CUBA = ['populations.exc.size=320', 'populations.inh.size=80', 'duration_ms=250', 'record.spikes="all"'];
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const csvs = (dir: string, sub: string) => readdirSync(join(dir, sub)).filter((f) => f.endsWith('.csv')).sort();

/** A scenario naming the circuit in `config` (relative to the scenario file) for every population and projection. */
function fromSonataScenario(sc: Scenario, config: string, rename: Record<string, string> = {}): Record<string, unknown> {
  const as = (n: string) => rename[n] ?? n;
  const block = (n: string) => ({ config, ...(as(n) !== n ? { population: n } : {}) });
  return {
    name: sc.name, seed: sc.seed, duration_ms: sc.duration_ms,
    populations: sc.populations.map((p) => ({ name: as(p.name), from_sonata: block(p.name) })),
    projections: sc.projections.map((p) => ({ name: as(p.name), from_sonata: block(p.name) })),
    record: { spikes: 'all' },
  };
}

/** Where the scenario's errors go: the ScenarioError's lines. */
async function problems(ref: string | object, opts: { baseDir?: string } = {}): Promise<string[]> {
  const e = await loadScenarioAsync(ref, opts).then(() => null, (x: unknown) => x);
  if (!(e instanceof ScenarioError)) throw new Error(`expected a ScenarioError, got ${String(e)}`);
  return e.problems;
}

// First in the file, before anything has loaded h5wasm in this worker: the synchronous loader says what to do.
test('loadScenario before h5wasm is loaded: an error that names prepareSonata and loadScenarioAsync', () => {
  const sc = { name: 's', seed: 1, duration_ms: 10, populations: [{ name: 'n', from_sonata: { config: 'anywhere' } }] };
  expect(() => loadScenario(sc)).toThrow(/populations\[0\]\.from_sonata: .*not loaded yet: use loadScenarioAsync, or await prepareSonata\(\) once before loadScenario/);
});

describe('export, name the files with from_sonata, run: the original network and spikes', () => {
  test.each([
    ['cuba-stdp (small): exc, inh, four projections, additive STDP on ee', 'cuba-stdp', SMALL_CUBA, {}],
    // Renamed on the way in (the SONATA names in from_sonata.population); a Poisson source becomes spike times.
    ['a Poisson source, drawn weights and delays, multiplicative STDP, a bias; renamed populations', SMALL, [
      'projections.p.weight_mv={"uniform":[1,2.7]}', 'projections.p.delay_ms={"uniform":[0.5,2]}', 'populations.n.params.i_bias_mv=16.4',
      'projections.p.plasticity={"rule":"stdp","a_plus":0.027,"a_minus":0.029,"tau_plus_ms":16,"tau_minus_ms":33,"w_min_mv":0,"w_max_mv":2.7,"weight_dependence":"multiplicative"}',
    ], { in: 'input', n: 'cells', p: 'syn' }],
  ])('%s', async (_, ref, set, rename: Record<string, string>) => {
    const sc = loadScenario(ref, { set, seed: 5 });
    const dir = mkdtempSync(join(TMP, 'rt-'));
    await exportSonata(sc, join(dir, 'son'));
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify(fromSonataScenario(sc, 'son', rename)));
    const back = await loadScenarioAsync(file);
    const as = (n: string) => rename[n] ?? n;

    // Exactly what import --sonata writes for these files (names aside).
    const imported = validateScenario((await importSonata(join(dir, 'son'))).scenario);
    for (const p of back.populations) {
      const { from_sonata, ...rest } = p;
      expect(from_sonata!.population).toBe(Object.keys(rename).find((k) => rename[k] === p.name) ?? p.name);
      expect({ ...rest, name: from_sonata!.population }).toEqual(imported.populations.find((q) => q.name === from_sonata!.population));
    }
    for (const p of back.projections) {
      const { from_sonata, ...rest } = p;
      const q = imported.projections.find((x) => x.name === from_sonata!.population)!;
      expect(rest).toEqual({ ...q, name: p.name, from: as(q.from), to: as(q.to) });
    }

    // Every edge, weight and delay of the original network, bit for bit, in the same order.
    const a = new Network(sc);
    const b = new Network(back);
    let edges = 0;
    for (const p of sc.projections) {
      const ea = projectionEdges(a, p.name);
      const eb = projectionEdges(b, as(p.name));
      for (const k of ['pre', 'post', 'weight', 'delay'] as const) expect(Array.from(eb[k]), `${p.name}.${k}`).toEqual(Array.from(ea[k]));
      edges += ea.pre.length;
    }
    expect(edges).toBeGreaterThan(300);

    // The run: the same spikes, and the plastic projections' final weights, byte for byte.
    await runScenario(sc, join(dir, 'a'), { workers: 1, report: false });
    await runScenario(back, join(dir, 'b'), { workers: 1, report: false });
    expect(csvs(join(dir, 'b'), 'spikes')).toEqual(csvs(join(dir, 'a'), 'spikes').map((f) => `${as(f.replace(/\.csv$/, ''))}.csv`).sort());
    let spikes = 0;
    for (const p of sc.populations) {
      const text = readFileSync(join(dir, 'a', 'spikes', `${p.name}.csv`), 'utf8');
      expect(readFileSync(join(dir, 'b', 'spikes', `${as(p.name)}.csv`), 'utf8') === text, `spikes/${p.name}.csv`).toBe(true);
      spikes += text.split('\n').length - 2;
    }
    expect(spikes).toBeGreaterThan(100);
    const plastic = sc.projections.filter((p) => p.plasticity);
    expect(plastic.length).toBe(1);
    for (const p of plastic) {
      const w = readFileSync(join(dir, 'a', 'weights', `${p.name}.csv`), 'utf8');
      expect(readFileSync(join(dir, 'b', 'weights', `${as(p.name)}.csv`), 'utf8') === w, `weights/${p.name}.csv`).toBe(true);
    }
    const runJson = JSON.parse(readFileSync(join(dir, 'b', 'run.json'), 'utf8'));
    expect(runJson.scenario_sha256).toBe(scenarioHash(back));
    expect(runJson.scenario.populations[0].from_sonata).toEqual(back.populations[0].from_sonata);

    // The files read, relative to the scenario file, with their SHA-256.
    const nodes = back.populations.find((p) => p.model === 'lif')!;
    const sonName = nodes.from_sonata!.population!;
    const proj = back.projections.find((p) => p.plasticity)!;
    for (const [entry, files] of [
      [nodes, ['circuit_config.json', 'simulation_config.json', 'network/node_types.csv', 'network/nodes.h5', `components/point_neuron_models_dir/${sonName}.json`]],
      [proj, ['circuit_config.json', 'simulation_config.json', 'network/edge_types.csv', 'network/edges.h5']],
    ] as const) {
      const recorded = entry.from_sonata!.sha256!;
      expect(Object.keys(recorded)).toEqual(expect.arrayContaining(files.map((f) => `son/${f}`)));
      expect(Object.keys(recorded)).toEqual(Object.keys(recorded).sort());
      for (const [f, h] of Object.entries(recorded)) expect(h, f).toBe(sha(join(dir, f)));
    }

    // The resolved scenario is validated again (a sweep's worker, resume) without the files, to the same hash.
    renameSync(join(dir, 'son'), join(dir, 'moved'));
    expect(scenarioHash(validateScenario(structuredClone(back)))).toBe(scenarioHash(back));
    expect(scenarioHash(loadScenario(runJson.scenario))).toBe(scenarioHash(back));
    renameSync(join(dir, 'moved'), join(dir, 'son'));

    // A changed file changes the recorded SHA-256, hence the scenario's hash; the values read stay the same.
    appendFileSync(join(dir, 'son', 'circuit_config.json'), '\n');
    const changed = await loadScenarioAsync(file);
    expect(changed.populations[0].from_sonata!.sha256!['son/circuit_config.json']).toBe(sha(join(dir, 'son', 'circuit_config.json')));
    expect(changed.populations[0].from_sonata!.sha256!['son/circuit_config.json']).not.toBe(back.populations[0].from_sonata!.sha256!['son/circuit_config.json']);
    expect(scenarioHash(changed)).not.toBe(scenarioHash(back));
    const strip = (s: Scenario) => JSON.stringify({ ...s, populations: s.populations.map(({ from_sonata: _, ...p }) => p), projections: s.projections.map(({ from_sonata: _, ...p }) => p) });
    expect(strip(changed)).toBe(strip(back));
  }, 240_000);
});

describe('a circuit written by hand in bmtk\'s layout (no weight_mv, NEST units, spike inputs)', () => {
  test('reads as import --sonata reads it; a scenario population of the source\'s name may stand in for virtual nodes', async () => {
    const dir = await writeTinySonata(mkdtempSync(join(TMP, 'tiny-')));
    const imported = validateScenario((await importSonata(dir)).scenario);
    const names = { populations: ['stim', 'cells'], projections: ['input', 'inhib', 'recur'] };
    const sc = {
      name: 'tiny', seed: 1, duration_ms: TINY.tstop,
      populations: names.populations.map((name) => ({ name, from_sonata: { config: '.' } })),
      projections: names.projections.map((name) => ({ name, from_sonata: { config: '.' } })),
    };
    const back = await loadScenarioAsync(sc, { baseDir: dir });
    for (const kind of ['populations', 'projections'] as const) {
      for (const p of back[kind]) {
        const { from_sonata: _, ...rest } = p;
        expect(rest).toEqual((imported[kind] as typeof back[typeof kind]).find((q) => q.name === p.name));
      }
    }
    expect(back.populations[0]).toMatchObject({ model: 'spike_source', params: { spike_times_ms: [[5, 40], [3, 12.5]] } });
    expect(Object.keys(back.populations[0].from_sonata!.sha256!)).toEqual(['circuit_config.json', 'in/stim.h5', 'net/node_types.csv', 'net/nodes.h5', 'node_sets.json', 'simulation_config.json']);

    // A Poisson source of the scenario's own in place of the virtual nodes `stim`: the projection `input` comes from it.
    const own = { ...sc, populations: [{ name: 'stim', model: 'poisson_source', size: 2, params: { rate_hz: 10 } }, sc.populations[1]] };
    const mixed = await loadScenarioAsync(own, { baseDir: dir });
    expect(mixed.projections[0]).toMatchObject({ from: 'stim', to: 'cells', connect: { rule: 'pairs', pre: TINY.input.pre, post: TINY.input.post } });
  });
});

describe('fields beside from_sonata', () => {
  test('params, init, receptor, weight_mv, delay_ms override the file\'s; the rest of the file stays', async () => {
    const sc = loadScenario(SMALL, { seed: 2 });
    const dir = mkdtempSync(join(TMP, 'ov-'));
    await exportSonata(sc, join(dir, 'son'));
    const base = fromSonataScenario(sc, 'son') as { populations: Record<string, unknown>[]; projections: Record<string, unknown>[] };
    const plain = await loadScenarioAsync(base, { baseDir: dir });
    base.populations[1] = { ...base.populations[1], params: { tau_m_ms: 15 }, init: { v_mv: -60 } };
    base.projections[0] = { ...base.projections[0], weight_mv: 0.5, delay_ms: 2 };
    const over = await loadScenarioAsync(base, { baseDir: dir });
    const [n0, n1] = [plain.populations[1], over.populations[1]];
    expect(n1.params).toEqual({ ...n0.params, tau_m_ms: 15 });
    expect(n0.params.tau_m_ms).toBe(20);
    expect(n1.init).toEqual({ v_mv: -60 });
    expect(Array.isArray(n0.init.v_mv)).toBe(true); // drawn uniform in the original: one value per neuron in the file
    expect(over.projections[0]).toMatchObject({ weight_mv: 0.5, delay_ms: 2, connect: plain.projections[0].connect, receptor: 'exc' });
    // --set addresses a from_sonata entry by its name, as any other (a sweep's paths too).
    const set = await loadScenarioAsync(fromSonataScenario(sc, 'son'), { baseDir: dir, set: ['populations.n.params.v_th_mv=-52'] });
    expect(set.populations[1].params).toEqual({ ...n0.params, v_th_mv: -52 });
  });
});

describe('bad input: one line naming the field, what was expected and what was found', () => {
  const setup = async () => {
    const sc = loadScenario(SMALL, { seed: 2 });
    const dir = mkdtempSync(join(TMP, 'bad-'));
    await exportSonata(sc, join(dir, 'son'));
    const good = fromSonataScenario(sc, 'son') as { populations: Record<string, unknown>[]; projections: Record<string, unknown>[] };
    return { dir, good, edit: (f: (s: typeof good) => void) => { const s = structuredClone(good); f(s); return s; } };
  };

  test('missing, not SONATA, unreadable, absent population, conflicting fields, malformed', async () => {
    const { dir, edit } = await setup();
    const son = join(dir, 'son');
    const at = (s: object) => problems(s, { baseDir: dir });
    expect(await at(edit((s) => (s.populations[0].from_sonata = { config: 'nope' })))).toEqual([
      `populations[0].from_sonata.config must be a SONATA folder, circuit config or simulation config (relative to ${dir}), got "nope": no such file or folder`,
    ]);
    expect(await at(edit((s) => (s.populations[1].from_sonata = { config: 'son', population: 'm' })))).toEqual([
      `populations[1].from_sonata.population must name a node population of ${son}/circuit_config.json (in, n), got "m"`,
    ]);
    expect(await at(edit((s) => (s.projections[0].from_sonata = { config: 'son', population: 'q' })))).toEqual([
      `projections[0].from_sonata.population must name an edge population of ${son}/circuit_config.json (p), got "q"`,
    ]);
    expect(await at(edit((s) => (s.populations[1].size = 8)))).toEqual([
      'populations[1].size must not be given with from_sonata (the SONATA nodes give the model, size and parameters; params and init may override them), got 8',
    ]);
    expect(await at(edit((s) => (s.projections[0].connect = { rule: 'one_to_one' })))).toEqual([
      'projections[0].connect must not be given with from_sonata (the SONATA edges give them; receptor, weight_mv, delay_ms, plasticity, short_term may override the file\'s), got {"rule":"one_to_one"}',
    ]);
    expect(await at(edit((s) => (s.populations[0].from_sonata = { config: 3 })))).toEqual(['populations[0].from_sonata.config must be a string, got 3']);
    expect(await at(edit((s) => (s.populations[0].from_sonata = { config: 'son', nodes: 'x.h5' })))).toEqual(['populations[0].from_sonata has unknown field "nodes"']);
    // The target of a projection must be read from the same circuit (its NEST model gives syn_weight's units).
    expect(await at(edit((s) => (s.populations[1] = { name: 'n', model: 'lif', size: 8 })))).toEqual([
      `projections[0].from_sonata: ${son}/network/edges.h5: edges/p/target_node_id attribute node_population: expected a population of the scenario read with from_sonata from ${son}/circuit_config.json (its NEST model gives syn_weight's units), found n`,
    ]);
    // A folder that is not a SONATA circuit; a folder where a file should be; a nodes file that is not HDF5.
    mkdirSync(join(dir, 'empty'));
    expect(await at(edit((s) => (s.populations[0].from_sonata = { config: 'empty' })))).toEqual([
      `populations[0].from_sonata: ${dir}/empty/circuit_config.json: circuit config: expected a JSON file, found no such file`,
    ]);
    renameSync(join(son, 'network', 'node_types.csv'), join(dir, 'types.csv'));
    mkdirSync(join(son, 'network', 'node_types.csv'));
    expect(await at(edit(() => {}))).toEqual([
      `populations[0].from_sonata: ${son}/network/node_types.csv: node_type_id: expected a types CSV file, found a folder`,
      `populations[1].from_sonata: ${son}/network/node_types.csv: node_type_id: expected a types CSV file, found a folder`,
    ]);
    rmSync(join(son, 'network', 'node_types.csv'), { recursive: true });
    renameSync(join(dir, 'types.csv'), join(son, 'network', 'node_types.csv'));
    writeFileSync(join(son, 'network', 'nodes.h5'), 'node_id,node_type_id\n0,100\n');
    expect((await at(edit(() => {})))[0]).toBe(`populations[0].from_sonata: ${son}/network/nodes.h5: nodes: expected an HDF5 file (signature \\x89HDF at byte 0), found other bytes`);
  });

  test('validateScenario reads no file: an entry not read by the loader is refused', async () => {
    const { good } = await setup();
    const e = (() => {
      try {
        validateScenario(good);
      } catch (x) {
        return x as ScenarioError;
      }
    })();
    expect(e?.problems[0]).toBe('populations[0].from_sonata must be read by the scenario loader first (loadScenario or loadScenarioAsync; validateScenario reads no file), got {"config":"son"}');
    expect(e?.problems.length).toBe(3);
  });
});
