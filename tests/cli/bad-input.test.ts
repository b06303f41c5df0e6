/**
 * Bad scenarios through the command line: each gives exactly its one-line `error:` message, exit code 2, nothing
 * on stdout and nothing written to --out. The expected lines are written out by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';
import { cli, ensureBuilt, hasStack, ROOT } from './cli.js';
import { loadScenario } from '../../src/api.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { bases, mutate, mutation } from '../scenario/fuzz-helpers.js';

beforeAll(ensureBuilt);
const dir = mkdtempSync(join(tmpdir(), 'chronoprop-cli-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const singleNeuron = () => JSON.parse(readFileSync(join(ROOT, 'scenarios', 'single-neuron.json'), 'utf8'));

/** `run` refuses the file with exactly these lines and writes nothing; with `also`, so does `validate`. */
function expectRejected(file: string, lines: string[], also = false): void {
  const expected = lines.map((l) => `error: ${l}\n`).join('');
  if (also) expect(cli(['validate', file])).toEqual({ code: 2, stdout: '', stderr: expected });
  const out = join(dir, 'out');
  expect(cli(['run', file, '--out', out])).toEqual({ code: 2, stdout: '', stderr: expected });
  expect(existsSync(out)).toBe(false);
}

describe('each bad scenario gives its one line', () => {
  test.each([
    ['unknown model', (s: any) => (s.populations[1].model = 'lifx'), 'populations[1].model must be one of lif, adaptive_lif, alpha_lif, two_compartment, linear, poisson_source, rate_source, spike_source, got "lifx"'],
    ['missing field', (s: any) => delete s.duration_ms, 'duration_ms is required, got nothing'],
    ['negative time constant', (s: any) => (s.populations[1].params.tau_m_ms = -5), 'populations[1].params.tau_m_ms must be > 0, got -5'],
    ['projection to a missing population', (s: any) => (s.projections[0].to = 'nobody'), 'projections[0].to must name a population, got "nobody"'],
    ['probability outside [0, 1]', (s: any) => (s.projections[0].connect = { rule: 'fixed_probability', p: 1.5 }), 'projections[0].connect.p must be in [0, 1], got 1.5'],
    ['per-neuron values, a list of the wrong length', (s: any) => (s.populations[1].params.tau_m_ms = [10, 20]), 'populations[1].params.tau_m_ms must list one value per neuron (size 1), a list of 2, got [10,20]'],
  ])('%s', (label, edit, line) => {
    const s = singleNeuron();
    edit(s);
    const file = join(dir, `${label.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(s));
    expectRejected(file, [line]);
  });

  test('NaN (from YAML, which can write it)', () => {
    const s = singleNeuron();
    s.populations[1].params.tau_m_ms = NaN;
    const file = join(dir, 'nan.yaml');
    writeFileSync(file, toYaml(s));
    expect(readFileSync(file, 'utf8')).toContain('tau_m_ms: .nan');
    expectRejected(file, ['populations[1].params.tau_m_ms must be a finite number in ms, got NaN'], true);
  });

  test('an experiment setting is checked by validate as well as by run', () => {
    const s = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'stdp-window.json'), 'utf8'));
    s.settings.bogus = 1;
    const file = join(dir, 'bad-settings.json');
    writeFileSync(file, JSON.stringify(s));
    expectRejected(file, ['settings has unknown field "bogus"'], true);
  });

  test('NaN given with --set is reported as in a file', () => {
    const out = join(dir, 'out-set');
    expect(cli(['run', 'single-neuron', '--set', 'populations.neuron.params.tau_m_ms=NaN', '--out', out])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: populations[1].params.tau_m_ms must be a finite number in ms, got NaN\n',
    });
    expect(existsSync(out)).toBe(false);
  });

  test('several problems, one line each', () => {
    const s = singleNeuron();
    s.populations[1].params.tau_m_ms = -5;
    s.projections[1].to = 'nobody';
    const file = join(dir, 'two.json');
    writeFileSync(file, JSON.stringify(s));
    expectRejected(file, ['populations[1].params.tau_m_ms must be > 0, got -5', 'projections[1].to must name a population, got "nobody"'], true);
  });
});

describe('files that are not scenarios', () => {
  test('no such file or built-in', () => {
    expectRejected(join(dir, 'missing.json'), [`scenario "${join(dir, 'missing.json')}" is neither a file nor a built-in scenario (see: chronoprop list)`]);
  });
  test('a folder', () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    expectRejected(folder, [`${folder} is a folder, not a scenario file`]);
  });
  test('broken JSON and YAML', () => {
    writeFileSync(join(dir, 'broken.json'), '{ "name": ');
    writeFileSync(join(dir, 'broken.yaml'), 'name: [unclosed');
    for (const f of ['broken.json', 'broken.yaml']) {
      const r = cli(['validate', join(dir, f)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^error: ${join(dir, f).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid (JSON|YAML): [^\\n]+\\n$`));
    }
  });
});

test('fuzzed bad scenarios: exit 2, the same lines as the library, no stack trace, nothing written', () => {
  // Mutants of the built-ins that the library rejects (checked in-process first), then run through the binary.
  const cases = fc
    .sample(fc.tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 3 })), { seed: 11, numRuns: 60 })
    .map(([b, ms]) => ms.reduce((s: unknown, m) => mutate(s, m), b.scenario))
    // What a JSON file can carry (NaN and Infinity become null), so the library sees what the binary will read.
    .map((s) => (s === undefined ? s : JSON.parse(JSON.stringify(s)) as unknown))
    .map((s) => {
      try {
        loadScenario(s as object);
        return null;
      } catch (e) {
        return e instanceof ScenarioError && s !== null && typeof s === 'object' && !Array.isArray(s) ? { s, problems: e.problems } : null;
      }
    })
    .filter((c) => c !== null)
    .slice(0, 5);
  expect(cases).toHaveLength(5);
  cases.forEach(({ s, problems }, k) => {
    const file = join(dir, `fuzz-${k}.json`);
    writeFileSync(file, JSON.stringify(s));
    const out = join(dir, `fuzz-out-${k}`);
    const r = cli(['run', file, '--out', out]);
    expect(r.code).toBe(2);
    expect(hasStack(r.stderr)).toBe(false);
    expect(r.stderr).toBe(problems.map((p) => `error: ${p}\n`).join(''));
    expect(existsSync(out)).toBe(false);
  });
});
