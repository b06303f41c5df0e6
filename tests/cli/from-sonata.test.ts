/**
 * A scenario with `from_sonata` on the built command line (docs/sonata.md): `chronoprop export --sonata` writes the
 * oracle's files; `validate`, `run`, `export` and `sweep` (worker threads, which get the resolved scenario) take the
 * scenario naming them, and give the original scenario's spikes and final weights byte for byte; bad input is one
 * `error:` line, exit code 2, and nothing written.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli, ensureBuilt, hasStack } from './cli.js';
import { readSonataEdges } from '../../src/formats/sonata-network.js';

const SET = ['--set', 'populations.exc.size=80', '--set', 'populations.inh.size=20', '--set', 'duration_ms=200', '--seed', '3'];
const PROJECTIONS = ['ee', 'ei', 'ie', 'ii'];
let tmp = '';

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'chronoprop-from-sonata-cli-'));
  const r = cli(['export', 'cuba-stdp', '--sonata', join(tmp, 'son'), '-q', ...SET]);
  expect([r.code, r.stderr]).toEqual([0, '']);
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

type Edited = { populations: Record<string, unknown>[]; projections: Record<string, unknown>[] };

/** The exported network named with from_sonata, in the original's order; `edit` changes it (bad input). */
function scenarioFile(name: string, edit: (s: Edited) => void = () => {}): string {
  const s = {
    name: 'cuba-stdp', seed: 3, duration_ms: 200,
    populations: ['exc', 'inh'].map((n) => ({ name: n, from_sonata: { config: 'son' } })),
    projections: PROJECTIONS.map((n) => ({ name: n, from_sonata: { config: 'son' } })),
  };
  edit(s);
  const file = join(tmp, name);
  writeFileSync(file, JSON.stringify(s, null, 1));
  return file;
}

const same = (a: string, b: string, f: string) => expect(readFileSync(join(b, f), 'utf8') === readFileSync(join(a, f), 'utf8'), f).toBe(true);

describe('chronoprop with from_sonata', () => {
  test('validate, run, export and sweep: the original network, spikes and final weights', async () => {
    const file = scenarioFile('net.json');
    const v = cli(['validate', file]);
    expect([v.code, v.stderr, v.stdout]).toEqual([0, '', `${file}: valid (2 populations, 4 projections, 200 ms)\n`]);

    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    expect(cli(['run', 'cuba-stdp', ...SET, '-o', a, '-q', '--no-report', '--workers', '1']).code).toBe(0);
    const r = cli(['run', file, '-o', b, '-q', '--no-report', '--workers', '1']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    for (const f of ['spikes/exc.csv', 'spikes/inh.csv', 'weights/ee.csv']) same(a, b, f);
    expect(readFileSync(join(a, 'spikes/exc.csv'), 'utf8').split('\n').length).toBeGreaterThan(20);
    // run.json's resolved scenario: the values read, and each file with its SHA-256.
    const sc = JSON.parse(readFileSync(join(b, 'run.json'), 'utf8')).scenario;
    expect(sc.projections[0].connect.rule).toBe('pairs');
    expect(sc.populations[0].from_sonata.sha256['son/network/nodes.h5']).toBe(createHash('sha256').update(readFileSync(join(tmp, 'son/network/nodes.h5'))).digest('hex'));

    // Exported again from the scenario that read it: the same edges, weights and delays.
    const again = cli(['export', file, '--sonata', join(tmp, 'son2'), '-q']);
    expect([again.code, again.stderr]).toEqual([0, '']);
    const [e1, e2] = [await readSonataEdges(join(tmp, 'son/network/edges.h5')), await readSonataEdges(join(tmp, 'son2/network/edges.h5'))];
    expect([...e2.keys()]).toEqual(PROJECTIONS);
    for (const p of PROJECTIONS) {
      for (const k of ['pre', 'post', 'synWeight', 'weightMv', 'delayMs'] as const) expect(Array.from(e2.get(p)![k]!), `${p}.${k}`).toEqual(Array.from(e1.get(p)![k]!));
    }

    // A sweep over a from_sonata scenario, in worker threads; the point at cuba's own tau_m is the original run.
    writeFileSync(join(tmp, 'sw.yaml'), 'scenario: net.json\nseeds: [3]\ngrid:\n  populations.exc.params.tau_m_ms: [20, 25]\n');
    const s = cli(['sweep', join(tmp, 'sw.yaml'), '-o', join(tmp, 'sw'), '--workers', '2', '--no-report', '-q']);
    expect([s.code, s.stderr]).toEqual([0, '']);
    expect(readdirSync(join(tmp, 'sw', 'runs')).sort()).toEqual(['p0-s3', 'p1-s3']);
    for (const f of ['spikes/exc.csv', 'spikes/inh.csv', 'weights/ee.csv']) same(a, join(tmp, 'sw', 'runs', 'p0-s3'), f);
    expect(readFileSync(join(tmp, 'sw', 'runs', 'p1-s3', 'spikes/exc.csv'), 'utf8')).not.toBe(readFileSync(join(a, 'spikes/exc.csv'), 'utf8'));
  }, 240_000);

  test.each([
    ['a missing file', (s: Edited) => void (s.populations[0].from_sonata = { config: 'nope' }),
      () => `populations[0].from_sonata.config must be a SONATA folder, circuit config or simulation config (relative to ${tmp}), got "nope": no such file or folder`],
    ['a population the file does not have', (s: Edited) => void (s.populations[1].from_sonata = { config: 'son', population: 'inhibitory' }),
      () => `populations[1].from_sonata.population must name a node population of ${tmp}/son/circuit_config.json (exc, inh), got "inhibitory"`],
    ['a field the file gives', (s: Edited) => void (s.populations[0].size = 80),
      () => 'populations[0].size must not be given with from_sonata (the SONATA nodes give the model, size and parameters; params and init may override them), got 80'],
  ])('%s: one error line, exit code 2, nothing written', (name, edit, line) => {
    const file = scenarioFile(`bad-${name.replace(/\W+/g, '-')}.json`, edit);
    // validate and run load alike (loadScenarioAsync): both for the first case, run for the others.
    const commands = name === 'a missing file' ? [['validate', file], ['run', file, '-o', join(tmp, 'never'), '-q']] : [['run', file, '-o', join(tmp, 'never'), '-q']];
    for (const args of commands) {
      const r = cli(args);
      expect([r.code, r.stderr], args[0]).toEqual([2, `error: ${line()}\n`]);
      expect(hasStack(r.stderr)).toBe(false);
    }
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });
});

describe('files built by bmtk (tests/fixtures/sonata-bmtk, unchanged): run, and refused in one line', () => {
  const FIX = join(__dirname, '..', 'fixtures', 'sonata-bmtk', 'intfire');

  test('a scenario naming ten_cells_iclamp_nest by node type runs; nrn:IntFire1 is one error line, exit code 2, nothing written', () => {
    const config = join(FIX, 'ten_cells_iclamp_nest', 'input', 'circuit_config.json');
    const file = join(tmp, 'bmtk.json');
    writeFileSync(file, JSON.stringify({
      name: 'bmtk', seed: 1, duration_ms: 20,
      populations: [
        { name: 'stim', model: 'spike_source', size: 5, params: { spike_times_ms: [[1], [2], [3], [4], [5]] } },
        { name: 'exc', from_sonata: { config, population: 'ten_cells_iclamp', node_type_id: 100 } },
        { name: 'inh', from_sonata: { config, population: 'ten_cells_iclamp', node_type_id: 101 } },
      ],
      projections: [
        { name: 'drive', from: 'stim', to: 'exc', receptor: 'exc', connect: { rule: 'one_to_one' }, weight_mv: 400, delay_ms: 1 },
        { name: 'e_to_i', from_sonata: { config, population: 'ten_cells_iclamp_to_ten_cells_iclamp' } },
      ],
    }));
    const r = cli(['run', file, '-o', join(tmp, 'bmtk-run'), '-q', '--no-report']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    // Each exc cell fires once on its drive; inh cells 1-4 receive them (inh 0 has no edges), with nsyns 20-80 x 10 pA
    // (alpha peaks of about 4.5 mV per nsyns 20 at tau_m 44.9 ms): the more synapses, the likelier a spike.
    const exc = readFileSync(join(tmp, 'bmtk-run', 'spikes', 'exc.csv'), 'utf8').trim().split('\n').slice(1);
    const inh = readFileSync(join(tmp, 'bmtk-run', 'spikes', 'inh.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
    expect(exc).toHaveLength(5);
    expect(inh.length).toBeGreaterThan(0);
    expect(inh.every((k) => k >= 1 && k <= 4)).toBe(true);
    expect(inh).toContain(4);

    const nrn = join(FIX, 'ten_cells_spikes_nrn', 'input');
    const out = join(tmp, 'nrn.json');
    const i = cli(['import', '--sonata', join(nrn, 'circuit_config.json'), '--duration-ms', '100', '--out', out]);
    expect(i.code).toBe(2);
    expect(i.stderr).toBe(`error: ${nrn}/network/post_node_types.csv: model_template of node type 100: expected one of nest:iaf_psc_exp_ps, nest:iaf_psc_exp, nest:iaf_psc_delta, nest:iaf_psc_alpha_ps, nest:iaf_psc_alpha, found nrn:IntFire1\n`);
    expect(hasStack(i.stderr)).toBe(false);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
