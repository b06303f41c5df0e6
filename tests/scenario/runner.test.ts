import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/load.js';
import { buildAtomically, runExperiment, type RunJson } from '../../src/scenario/runner.js';
import { runScenario } from '../../src/api.js';
import { resultsRule } from '../../src/scenario/out-folder.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import type { Experiment } from '../../src/scenario/experiment.js';
import { VERSION } from '../../src/version.js';
import { readSonataSpikes } from '../../src/formats/sonata.js';

const root = mkdtempSync(join(tmpdir(), 'chronoprop-runner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fixture = join(__dirname, '..', 'fixtures', 'stdp-tiny.json');

function files(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), base) : [join(dir, e.name).slice(base.length + 1)],
  );
}

describe('a network run', () => {
  const out = join(root, 'stdp');
  let run: RunJson;
  beforeAll(async () => {
    await runScenario(loadScenario(fixture), out, { workers: 1, command: ['run', 'stdp-tiny.json'] });
    run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  }, 30_000);

  test('writes every format and the report, and nothing else', () => {
    expect(files(out).sort()).toEqual(
      [
        'figures/cv.svg', 'figures/cv.vl.json', 'figures/isi.svg', 'figures/isi.vl.json', 'figures/raster.svg', 'figures/raster.vl.json',
        'figures/rate.svg', 'figures/rate.vl.json', 'figures/trace-out.svg', 'figures/trace-out.vl.json',
        'figures/weights-evolution-in_out.svg', 'figures/weights-evolution-in_out.vl.json', 'figures/weights-hist-in_out.svg', 'figures/weights-hist-in_out.vl.json',
        'report.html', 'run.json', 'spikes.h5', 'spikes/input.csv', 'spikes/out.csv', 'state/out.csv', 'state/out.npy',
        'weights/in_out.csv', 'weights/in_out.npy', 'weights/in_out.series.csv', 'weights/in_out.series.npy',
      ].sort(),
    );
    expect(readdirSync(root).filter((f) => f.includes('.partial-') || f.includes('.old-'))).toEqual([]);
  });

  test('run.json holds what it takes to reproduce the run', () => {
    expect(run.format).toBe('chronoprop-results/1');
    expect(run.version).toBe(VERSION);
    expect(run.seed).toBe(3);
    expect(run.rng).toMatch(/alea/);
    // The hash is SHA-256 of the resolved scenario as stored: recomputed here from the file.
    expect(run.scenario_sha256).toBe(createHash('sha256').update(JSON.stringify(run.scenario)).digest('hex'));
    expect(run.scenario.record.spikes).toBe('all'); // defaults filled in
    expect(run.provenance.node).toBe(process.version);
    expect(run.provenance.command).toEqual(['run', 'stdp-tiny.json']);
    expect(Date.parse(run.provenance.finished_at)).toBeGreaterThanOrEqual(Date.parse(run.provenance.started_at));
    expect(run.provenance.git_commit === null || /^[0-9a-f]{40}$/.test(run.provenance.git_commit)).toBe(true);
    expect(run.timing.total_s).toBeGreaterThanOrEqual(run.timing.simulate_s);
  });

  test('the same scenario and seed give the same files, byte for byte (run.json and report.html aside)', async () => {
    const again = join(root, 'stdp-again');
    await runScenario(loadScenario(fixture), again, { workers: 1 });
    for (const f of files(out)) {
      if (f === 'run.json' || f === 'report.html' || f === 'spikes.h5') continue;
      expect(readFileSync(join(again, f)).equals(readFileSync(join(out, f))), f).toBe(true);
    }
    // HDF5 stamps each object with its creation time (h5wasm cannot turn that off): compare contents instead.
    const [a, b] = await Promise.all([readSonataSpikes(join(out, 'spikes.h5')), readSonataSpikes(join(again, 'spikes.h5'))]);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, tr] of a) {
      expect(Array.from(b.get(name)!.neuron)).toEqual(Array.from(tr.neuron));
      expect(Array.from(b.get(name)!.t)).toEqual(Array.from(tr.t));
    }
  }, 30_000);
});

describe('experiments', () => {
  // The runner is handed the experiment (the registry's, by runScenario in src/api.ts; here a test's own).
  const scenario = (experiment: string) => loadScenario({ name: experiment, seed: 1, duration_ms: 1, experiment });

  test("an experiment's own figures become figures/<name>.vl.json and are drawn in the report", async () => {
    const testFigures: Experiment = {
      summary: 'test',
      run: async () => ({
        metrics: { accuracy: 0.75 },
        counts: { spikes: 0, synaptic_events: 0 },
        timing: { build_s: 0, simulate_s: 0 },
        files: [],
        figures: [{ name: 'learning-curve', title: 'Learning curve', spec: { description: 'Accuracy per epoch.', data: { values: [{ epoch: 1, acc: 0.5 }, { epoch: 2, acc: 0.75 }] }, mark: 'line', encoding: { x: { field: 'epoch', type: 'quantitative' }, y: { field: 'acc', type: 'quantitative' } } } }],
      }),
    };
    const out = join(root, 'figs');
    await runExperiment(testFigures, scenario('test_figures'), out, { workers: 1 });
    const vl = JSON.parse(readFileSync(join(out, 'figures', 'learning-curve.vl.json'), 'utf8'));
    expect(vl.title).toBe('Learning curve');
    expect(existsSync(join(out, 'figures', 'learning-curve.svg'))).toBe(true);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('id="fig-learning-curve"');
    expect(html).toContain('<th>accuracy</th><td>0.75</td>');
    expect(existsSync(join(out, 'spikes.h5'))).toBe(false);
  }, 30_000);

  test('a failing experiment leaves no folder behind, and an older folder untouched', async () => {
    const testFails: Experiment = { summary: 'test', run: async () => Promise.reject(new Error('boom')) };
    const out = join(root, 'fails');
    await expect(runExperiment(testFails, scenario('test_fails'), out, { workers: 1 })).rejects.toThrow('boom');
    expect(existsSync(out)).toBe(false);
    const kept = join(root, 'figs');
    const before = readFileSync(join(kept, 'run.json'), 'utf8');
    await expect(runExperiment(testFails, scenario('test_fails'), kept, { workers: 1 })).rejects.toThrow('boom');
    expect(readFileSync(join(kept, 'run.json'), 'utf8')).toBe(before);
    expect(readdirSync(root).filter((f) => f.includes('.partial-'))).toEqual([]);
  });
});

describe('what is at the output path', () => {
  const tiny = () => loadScenario(fixture, { set: ['duration_ms=20'] });

  test('a file or a folder chronoprop did not write is never replaced, whatever `replace` says', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'mine');
    const folder = join(root, 'a-folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'keep.txt'), 'mine');
    for (const out of [file, folder]) {
      await expect(runScenario(tiny(), out, { workers: 1, report: false })).rejects.toThrow(ScenarioError);
    }
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect(readdirSync(folder)).toEqual(['keep.txt']);
  });

  test('a previous results folder is replaced by default, and refused with replace: false', async () => {
    const out = join(root, 'prev');
    await runScenario(tiny(), out, { workers: 1, report: false });
    const before = readFileSync(join(out, 'run.json'), 'utf8');
    await expect(runScenario(tiny(), out, { workers: 1, report: false, replace: false })).rejects.toThrow(/pass --force/);
    expect(readFileSync(join(out, 'run.json'), 'utf8')).toBe(before);
    await runScenario(tiny(), out, { workers: 1, report: false });
    expect(readFileSync(join(out, 'run.json'), 'utf8')).not.toBe(before); // new times
  }, 30_000);

  test('something that appeared at the path while the folder was built is not replaced either', async () => {
    const out = join(root, 'appeared');
    const build = (tmp: string) => {
      writeFileSync(join(tmp, 'run.json'), '{}');
      mkdirSync(out);
      writeFileSync(join(out, 'keep.txt'), 'mine');
    };
    await expect(buildAtomically(out, build, resultsRule(true))).rejects.toThrow('is not a chronoprop results folder');
    expect(readdirSync(out)).toEqual(['keep.txt']);
    expect(readdirSync(root).filter((f) => f.includes('.partial-'))).toEqual([]);
  });
});
