/**
 * The sweep file and its expansion (src/scenario/sweep/): the order and count of points and runs, overrides applied
 * exactly as `--set` applies them (the oracle: loadScenario with the same --set strings), one-line errors naming
 * the file, point and field, the CSV table, and the committed JSON Schema.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadScenario } from '../../src/api.js';
import { builtinDir } from '../../src/scenario/load.js';
import { ScenarioError } from '../../src/errors.js';
import { parseSweep, readSweep, setArgument, sweepPoints } from '../../src/scenario/sweep/expand.js';
import { pointsCsv } from '../../src/scenario/sweep/folder.js';
import { SWEEP_SCHEMA_FILE, sweepJsonSchemaText } from '../../src/scenario/sweep/schema.js';
import { scenarioHash } from '../../src/scenario/runner.js';

const ROOT_TMP = mkdtempSync(join(tmpdir(), 'chronoprop-sweep-'));
afterAll(() => rmSync(ROOT_TMP, { recursive: true, force: true }));

const FIXTURE = join(__dirname, '..', 'fixtures', 'sweep');
const load = (ref: string, o: { seed?: number; set?: string[] }) => loadScenario(ref, o);

function sweepFile(text: string, name = 'sw.yaml'): string {
  const dir = mkdtempSync(join(ROOT_TMP, 'x-'));
  writeFileSync(join(dir, 'small.json'), readFileSync(join(FIXTURE, 'small.json')));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

function problems(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  throw new Error('no ScenarioError');
}

describe('points and runs', () => {
  test('grid is a cartesian product (last path fastest), zip rows innermost, seeds fastest', () => {
    const spec = parseSweep({ scenario: 'x', grid: { a: [1, 2], b: ['u', 'v', 'w'] }, zip: { c: [10, 20], d: [30, 40] } }, 'f');
    const pts = sweepPoints(spec);
    expect(pts).toHaveLength(2 * 3 * 2);
    expect(pts[0]).toEqual({ a: 1, b: 'u', c: 10, d: 30 });
    expect(pts[1]).toEqual({ a: 1, b: 'u', c: 20, d: 40 });
    expect(pts[2]).toEqual({ a: 1, b: 'v', c: 10, d: 30 });
    expect(pts[11]).toEqual({ a: 2, b: 'w', c: 20, d: 40 });
    expect(sweepPoints(parseSweep({ scenario: 'x' }, 'f'))).toEqual([{}]);
  });

  test('listed points are crossed with the grid, innermost, and add their paths to the varied ones', () => {
    const spec = parseSweep({ scenario: 'x', grid: { a: [1, 2] }, points: [{ b: 1, c: 'u' }, { b: 2, c: 'v' }, { b: 3, c: 'w' }] }, 'f');
    expect(sweepPoints(spec)).toEqual([
      { a: 1, b: 1, c: 'u' }, { a: 1, b: 2, c: 'v' }, { a: 1, b: 3, c: 'w' },
      { a: 2, b: 1, c: 'u' }, { a: 2, b: 2, c: 'v' }, { a: 2, b: 3, c: 'w' },
    ]);
    const sw = readSweep(sweepFile('scenario: small.json\npoints:\n  - { populations.n.size: 3, duration_ms: 20 }\n  - { populations.n.size: 5, duration_ms: 30 }\n'), load);
    expect(sw.varied).toEqual(['populations.n.size', 'duration_ms']);
    expect(sw.runs.map((r) => [r.scenario.populations[1].size, r.scenario.duration_ms])).toEqual([[3, 20], [5, 30]]);
  });

  test('every run is the scenario that `run --seed --set` would give, with its hash', () => {
    const sw = readSweep(join(FIXTURE, 'sweep.yaml'), load);
    expect(sw.runs).toHaveLength(12);
    expect(sw.varied).toEqual(['populations.n.params.tau_m_ms', 'projections.p.weight_mv', 'populations.in.params.rate_hz']);
    expect(sw.runs.map((r) => `${r.point}-s${r.seed}`).slice(0, 4)).toEqual(['p0-s1', 'p0-s2', 'p1-s1', 'p1-s2']);
    const r = sw.runs[7];
    expect(r).toMatchObject({ point: 'p3', seed: 2, run: 'runs/p3-s2', params: { 'populations.n.params.tau_m_ms': 20, 'projections.p.weight_mv': 6, 'populations.in.params.rate_hz': 40 } });
    const oracle = loadScenario(join(FIXTURE, 'small.json'), {
      seed: 2,
      set: ['duration_ms=100', 'populations.n.params.tau_m_ms=20', 'projections.p.weight_mv=6', 'populations.in.params.rate_hz=40'],
    });
    expect(r.scenario).toEqual(oracle);
    expect(r.sha256).toBe(scenarioHash(oracle));
    expect(new Set(sw.runs.map((x) => x.sha256)).size).toBe(12);
  });

  test('without seeds, the scenario keeps its own seed; the sweep hash follows the runs', () => {
    const a = readSweep(sweepFile('scenario: small.json\ngrid: { duration_ms: [50, 60] }\n'), load);
    expect(a.runs.map((r) => r.seed)).toEqual([1, 1]);
    const b = readSweep(sweepFile('scenario: small.json\ngrid: { duration_ms: [50, 61] }\n'), load);
    expect(a.sha256).not.toBe(b.sha256);
    expect(readSweep(sweepFile('{"scenario": "small.json", "grid": {"duration_ms": [50, 60]}}', 'sw.json'), load).sha256).toBe(a.sha256);
  });

  test('values reach the loader as --set does: strings, objects, lists, non-finite numbers', () => {
    expect(setArgument('a.b', 'x y')).toBe('a.b="x y"');
    expect(setArgument('w', { uniform: [1, 2] })).toBe('w={"uniform":[1,2]}');
    expect(setArgument('v', NaN)).toBe('v=NaN');
    expect(setArgument('v', -Infinity)).toBe('v=-Infinity');
    const sw = readSweep(sweepFile('scenario: small.json\ngrid: { projections.p.weight_mv: [{ uniform: [1, 2] }] }\n'), load);
    expect(sw.runs[0].scenario.projections[0].weight_mv).toEqual({ uniform: [1, 2] });
  });
});

describe('bad sweep files: one line per problem, naming the file, the point and the field', () => {
  test('shape', () => {
    const f = sweepFile('scenario: small.json\nseeds: [1, 1.5]\ngrid: { duration_ms: 5 }\nzap: 1\n');
    expect(problems(() => readSweep(f, load))).toEqual([
      `${f}: seeds[1] must be an integer, got 1.5`,
      `${f}: grid.duration_ms must be a list, got 5`,
      `${f}: (sweep) has unknown field "zap"`,
    ]);
  });

  test('rules across fields: zip lengths, a path twice, seeds twice, seed as a path', () => {
    const f = sweepFile('scenario: small.json\nseeds: [1, 1]\nset: { duration_ms: 5 }\ngrid: { duration_ms: [1], seed: [3] }\nzip: { a.b: [1, 2], c: [1] }\n');
    expect(problems(() => readSweep(f, load))).toEqual([
      `${f}: grid.duration_ms is also in set; a path may appear once`,
      `${f}: grid.seed: vary seeds with "seeds: [...]", not as a path`,
      `${f}: zip.c must have 2 values like zip.a.b, got 1`,
      `${f}: seeds must be distinct, got 1 twice`,
    ]);
  });

  test('listed points: the same paths in each, none also in set, grid or zip', () => {
    const f = sweepFile('scenario: small.json\ngrid: { duration_ms: [10] }\npoints:\n  - { duration_ms: 5, seed: 1 }\n  - { duration_ms: 6 }\n');
    expect(problems(() => readSweep(f, load))).toEqual([
      `${f}: points[1] must set the same paths as points[0] (duration_ms, seed), got duration_ms`,
      `${f}: points[0].duration_ms is also in grid; a path may appear once`,
      `${f}: points[0].seed: vary seeds with "seeds: [...]", not as a path`,
    ]);
  });

  test('a bad value at a point names the point, its parameters and the field as validation prints it', () => {
    const f = sweepFile('scenario: small.json\nseeds: [4]\ngrid: { populations.n.params.tau_m_ms: [10, -5] }\n');
    expect(problems(() => readSweep(f, load))).toEqual([
      `${f}: point p1 (populations.n.params.tau_m_ms=-5, seed 4): populations[1].params.tau_m_ms must be > 0, got -5`,
    ]);
  });

  test('an unknown scenario, a path into nothing, a file that is not there', () => {
    expect(problems(() => readSweep(sweepFile('scenario: nope\n'), load))[0]).toMatch(/scenario nope with set: scenario "nope" is neither a file nor a built-in/);
    expect(problems(() => readSweep(sweepFile('scenario: small.json\ngrid: { populations.zz.size: [1] }\n'), load))[0]).toMatch(
      /point p0 \(populations\.zz\.size=1\): --set populations\.zz\.size: no element named "zz"$/,
    );
    expect(problems(() => readSweep('/nonexistent/sw.yaml', load))).toEqual(['sweep file /nonexistent/sw.yaml cannot be read (ENOENT)']);
  });
});

test('points.csv: quoted cells where needed, empty for null, numbers in round-trip form', () => {
  const csv = pointsCsv({
    name: 'x',
    varied: ['w', 's'],
    metrics: ['m.a', 'm.b'],
    rows: [
      { point: 'p0', seed: 1, params: { w: { uniform: [1, 2] }, s: 'a,b' }, status: 'done', run: 'runs/p0-s1', scenario_sha256: '', metrics: { 'm.a': 0.1 + 0.2, 'm.b': null } },
      { point: 'p1', seed: 1, params: { w: 2, s: 'q"' }, status: 'failed', run: 'runs/p1-s1', scenario_sha256: '', error: 'e', metrics: {} },
    ],
  });
  expect(csv).toBe('point,w,s,seed,status,run,m.a,m.b\np0,"{""uniform"":[1,2]}","a,b",1,done,runs/p0-s1,0.30000000000000004,\np1,2,"q""",1,failed,runs/p1-s1,,\n');
});

test('the committed scenarios/sweep.schema.json equals a fresh export (run: npm run schema)', () => {
  expect(readFileSync(join(builtinDir(), SWEEP_SCHEMA_FILE), 'utf8')).toBe(sweepJsonSchemaText());
  const s = JSON.parse(sweepJsonSchemaText());
  expect(s.required).toEqual(['scenario']);
  expect(s.additionalProperties).toBe(false);
});
