/**
 * The suite's repeated runs (`npm run bench -- --reps n`): each row is the run of median CPU time, the range column
 * holds the smallest and largest, and a bad --reps is refused before anything runs. The results page
 * (docs/benchmarks-results.md) says where its table came from; a smoke run writes none by default, and a saved run's
 * page can be written again from bench/results.json.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchTable, cpuRanges, cpuRatios, medianRun, pairedRatios, resultsDoc, suiteTable, type Machine } from '../../scripts/perf/report.js';
import type { Measurement } from '../../scripts/perf/measure.js';

const run = (workload: string, cpu: number, build = 0.1): Measurement =>
  ({
    workload, scenario: workload, seed: 1, set: [], duration_ms: 1000, neurons: 10, build_s: build, simulate_s: cpu,
    build_cpu_s: build, simulate_cpu_s: cpu, bio_s_per_wall_s: 1 / cpu, synaptic_events: 1e6, events_per_s: 1e6 / cpu,
    spikes: 5, populations: { exc: { neurons: 10, spikes: 5, rate_hz: 0.5, cv_isi: null } },
    memory: { synapses: 100, synapse_bytes: 450, plasticity_bytes: 0, neuron_bytes: 0, queue_bytes: 0, bytes_per_synapse: 4.5 },
    peak_rss_mb: 100,
  }) as Measurement;

describe('bench repeats', () => {
  it('takes the median run whole (the lower middle one for an even count), by simulate CPU time', () => {
    const a = [run('w', 3, 0.3), run('w', 1, 0.1), run('w', 2, 0.2)];
    expect(medianRun(a)).toBe(a[2]); // CPU 2, with its own build time
    expect(medianRun([run('w', 4), run('w', 1), run('w', 3), run('w', 2)]).simulate_cpu_s).toBe(2);
    expect(medianRun([run('w', 7)]).simulate_cpu_s).toBe(7);
    expect(() => medianRun([])).toThrow();
  });

  it('reports each workload\'s CPU time range over its runs, and a table column for it only when repeated', () => {
    const runs = [run('a', 2), run('b', 5), run('a', 1.5), run('b', 4), run('a', 3)];
    expect([...cpuRanges(runs)]).toEqual([['a', [1.5, 3]], ['b', [4, 5]]]);
    const rows = [medianRun(runs.filter((r) => r.workload === 'a')), medianRun(runs.filter((r) => r.workload === 'b'))];
    const repeated = benchTable(rows, cpuRanges(runs), 3).split('\n');
    expect(repeated[0]).toContain('CPU s, 3 runs');
    expect(repeated[2]).toMatch(/^\| a .*\| +2.00 \| +1.50-3.00 \|/);
    expect(repeated[3]).toMatch(/^\| b .*\| +4.00 \| +4.00-5.00 \|/);
    expect(benchTable(rows).split('\n')[0]).not.toContain('runs');
  });

  it('gives a workload\'s CPU time over its baseline\'s per round of the suite: median and range of the rounds', () => {
    const vs = (m: Measurement) => ({ ...m, baseline: 'a' });
    // Rounds in the order they ran: (a 2, b 5), (a 1, b 4), (a 4, b 4): ratios 2.5, 4, 1.
    const runs = [run('a', 2), vs(run('b', 5)), run('a', 1), vs(run('b', 4)), run('a', 4), vs(run('b', 4))];
    const rows = [medianRun(runs.filter((r) => r.workload === 'a')), medianRun(runs.filter((r) => r.workload === 'b'))];
    expect(cpuRatios(rows, runs)).toEqual([{ workload: 'b', baseline: 'a', basis: 'cpu', median: 2.5, min: 1, max: 4, pairs: 3 }]);
    // One run each: the rows' ratio. A baseline that did not run: no ratio.
    expect(cpuRatios([run('a', 2), vs(run('b', 3))])).toEqual([{ workload: 'b', baseline: 'a', basis: 'cpu', median: 1.5, min: 1.5, max: 1.5, pairs: 1 }]);
    expect(cpuRatios([vs(run('b', 3))])).toEqual([]);
    const page = suiteTable({ machine: MACHINE, workloads: rows, runs, reps: 3, quick: false, failed: [] });
    expect(page).toMatch(/\| b +\| a +\| CPU +\| +2\.50x \| +1\.00-4\.00 \| +3 \|/);
  });

  it('compares a workload on several threads by wall time: 2 threads taking 3 s of CPU in 1.6 s against 1 thread\'s 2.5 s', () => {
    const one = run('t1', 2.5);
    const two = { ...run('t2', 3), simulate_s: 1.6, threads: 2, baseline: 't1' };
    expect(cpuRatios([one, two])).toEqual([{ workload: 't2', baseline: 't1', basis: 'wall', median: 0.64, min: 0.64, max: 0.64, pairs: 1 }]);
    expect(suiteTable({ machine: MACHINE, workloads: [one, two], reps: 1, quick: false, failed: [] })).toMatch(/\| t2 +\| t1 +\| wall +\| +0\.640x \|/);
  });

  it('refuses a --reps that is not a positive integer with one line and exit code 2, before running anything', () => {
    const bench = new URL('../../dist/bench.js', import.meta.url).pathname;
    if (!existsSync(bench)) throw new Error('dist/bench.js is missing: run `npm run build` (npm test does)');
    for (const bad of ['0', '-1', '2.5', 'three']) {
      const r = spawnSync(process.execPath, [bench, '--reps', bad, '--only', 'cuba-1s', '--out', '/nonexistent/x.json']);
      expect(r.status).toBe(2);
      expect(r.stderr.toString().trim()).toBe(`error: --reps must be a positive integer, got "${bad}"`);
      expect(r.stdout.toString()).toBe('');
    }
  });
});

const MACHINE: Machine = {
  cpu: 'Test CPU', cores: 2, available_parallelism: 2, memory_gb: 8, node: 'v20.0.0', platform: 'linux-x64',
  git_commit: 'abc1234', git_dirty: true, date: '2026-01-02T03:04:05.000Z', load_avg_1m: 1.5,
};

describe('the results page', () => {
  it('names the commit, date, machine, load, the workloads run and what failed, above the table', () => {
    const page = resultsDoc({ machine: MACHINE, workloads: [run('cuba-1s', 2)], reps: 1, quick: false, only: ['cuba-*'], suite_size: 12, failed: [{ workload: 'cuba-10s', error: 'exit 1' }] });
    expect(page).toContain('- commit: `abc1234` with uncommitted changes');
    expect(page).toContain('- date: 2026-01-02T03:04:05.000Z');
    expect(page).toContain('- machine: Test CPU, 2 cores (2 available), 8 GiB, Node v20.0.0, linux-x64');
    expect(page).toMatch(/- load average at the start: 1.5 \(on 2 cores: other work competed/);
    expect(page).toContain('- workloads: 2 of 12, chosen with `--only cuba-*`');
    expect(page).toContain('- failed: cuba-10s (exit 1)');
    expect(page).toContain(benchTable([run('cuba-1s', 2)]));
    expect(page).toContain('do not edit by hand');
    expect(page).not.toContain('Smoke run');
    const quiet = resultsDoc({ machine: { ...MACHINE, load_avg_1m: 0.2, git_dirty: false }, workloads: [run('a', 1)], reps: 1, quick: false, failed: [] });
    expect(quiet).toContain('- load average at the start: 0.2\n');
    expect(quiet).toContain('- commit: `abc1234`\n');
    expect(quiet).toContain('- workloads: all 1;');
  });

  it('a smoke run measures nothing and writes no page unless told where; a saved run\'s page is written again', () => {
    const bench = new URL('../../dist/bench.js', import.meta.url).pathname;
    if (!existsSync(bench)) throw new Error('dist/bench.js is missing: run `npm run build` (npm test does)');
    const dir = mkdtempSync(join(tmpdir(), 'chronoprop-bench-'));
    try {
      const r = spawnSync(process.execPath, [bench, '--smoke', '--only', 'cuba-1s', '--out', join(dir, 'bench', 'results.json')], { cwd: dir });
      expect(r.status, r.stderr.toString()).toBe(0);
      expect(existsSync(join(dir, 'docs'))).toBe(false);
      const saved = JSON.parse(readFileSync(join(dir, 'bench', 'results.json'), 'utf8'));
      expect(saved.smoke_ms).toBe(20);
      expect(saved.workloads.map((w: Measurement) => [w.workload, w.duration_ms])).toEqual([['cuba-1s', 20]]);
      const t = spawnSync(process.execPath, [bench, '--table', join(dir, 'bench', 'results.json'), '--doc', join(dir, 'page.md')]);
      expect(t.status, t.stderr.toString()).toBe(0);
      const page = readFileSync(join(dir, 'page.md'), 'utf8');
      expect(page).toContain('**Smoke run**: each workload simulated for 20 ms only');
      expect(page).toMatch(/\| cuba-1s +\| +4000 \|/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the results page against the last recorded run', () => {
  const suiteRun = (date: string, rows: Measurement[], extra: object = {}) =>
    ({ machine: { ...MACHINE, date, git_dirty: false }, workloads: rows, reps: 1, quick: false, failed: [], ...extra });

  it('gives each workload both runs ran, this run\'s CPU time over the last one\'s, and names the last run', () => {
    const last = suiteRun('2026-01-01T00:00:00.000Z', [run('a', 2), run('b', 4), run('gone', 1)]);
    const now = suiteRun('2026-01-02T00:00:00.000Z', [run('a', 1), run('b', 5), run('new', 3)]);
    const page = resultsDoc(now, last);
    expect(page).toContain('Against the last recorded run (commit `abc1234`, 2026-01-01T00:00:00.000Z, load 1.5; the same CPU model');
    const section = page.slice(page.indexOf('Against the last recorded run'));
    expect(section).toMatch(/\| a +\| +1\.00 \| +2\.00 \| +0\.500x \|/);
    expect(section).toMatch(/\| b +\| +5\.00 \| +4\.00 \| +1\.25x \|/);
    expect(section).not.toMatch(/\| (new|gone) /);
    // Another machine is said; a run of another duration (a smoke run's) is not compared.
    const elsewhere = resultsDoc(now, { ...last, machine: { ...last.machine, cpu: 'Other CPU' } });
    expect(elsewhere).toContain('another machine: Other CPU, 2 cores, Node v20.0.0');
    expect(resultsDoc(now, suiteRun(last.machine.date, [{ ...run('a', 2), duration_ms: 20 }]))).toContain('No workload in common with it.');
  });

  it('says when there is no earlier run, and does not compare a run with itself or a smoke run with anything', () => {
    const now = suiteRun('2026-01-02T00:00:00.000Z', [run('a', 1)]);
    expect(resultsDoc(now, null)).toContain('No earlier recorded run to compare with');
    expect(resultsDoc(now, now)).not.toContain('last recorded run');
    const smoke = suiteRun('2026-01-03T00:00:00.000Z', [run('a', 1)], { smoke_ms: 20 });
    expect(resultsDoc(smoke, now)).not.toContain('last recorded run');
    expect(resultsDoc(smoke, now)).not.toContain('No earlier recorded run');
  });
});

describe('the Brian2 comparison\'s ratio per seed', () => {
  it('pairs runs by seed (not by position), takes the median of the pairs, and skips seeds only one side ran', () => {
    const ours = [{ seed: 1, cpu: 2 }, { seed: 2, cpu: 3 }, { seed: 3, cpu: 8 }, { seed: 9, cpu: 1 }];
    const theirs = [{ seed: 3, cpu: 2 }, { seed: 1, cpu: 1 }, { seed: 2, cpu: 1 }, { seed: 4, cpu: 5 }];
    // Pairs: seed 3 8/2 = 4, seed 1 2/1 = 2, seed 2 3/1 = 3 (seeds 9 and 4 have no partner).
    expect(pairedRatios(ours, theirs, (x) => x.cpu)).toEqual({ median: 3, min: 2, max: 4, n: 3 });
    expect(pairedRatios(ours.slice(0, 2), theirs.slice(1, 3), (x) => x.cpu)).toEqual({ median: 2.5, min: 2, max: 3, n: 2 });
    expect(pairedRatios(ours, [{ seed: 7, cpu: 1 }], (x) => x.cpu)).toBeNull();
  });
});
