/**
 * `chronoprop sweep` end to end on the built command line, on a 12-run sweep of a small network
 * (tests/fixtures/sweep). Oracles: the same sweep in one thread (in-process, one run after another) and in a pool
 * of worker threads give byte-identical files (run.json's timing and provenance, report.html and spikes.h5's HDF5
 * headers aside, as for `chronoprop run`); a run of the sweep equals `chronoprop run` with the same --seed and --set;
 * the table has one row per point and seed. Then: resuming runs nothing done, a missing run is redone alone, a run
 * that fails is reported with its error, folders not ours are never touched, and a Slurm array task writes the
 * same folder as the local pool.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { cli, ensureBuilt, ROOT } from './cli.js';
import { comparable, expectSameFolders } from './sweep-helpers.js';

const FIXTURE = join(ROOT, 'tests', 'fixtures', 'sweep');
const SWEEP = join(FIXTURE, 'sweep.yaml');
let tmp = '';

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'chronoprop-sweep-cli-'));
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('chronoprop sweep', () => {
  let serial = '';
  test('one thread and three worker threads give the same files; one row per point and seed', () => {
    serial = join(tmp, 'serial');
    const a = cli(['sweep', SWEEP, '-o', serial, '--workers', '1', '--no-report', '-q']);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const pool = join(tmp, 'pool');
    const b = cli(['sweep', SWEEP, '-o', pool, '--workers', '3', '--no-report']);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/12 runs \(12 done, 0 failed; 0 were done before\)/);
    expectSameFolders(serial, pool);

    const csv = readFileSync(join(serial, 'points.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(1 + 12);
    expect(csv[0].split(',').slice(0, 7)).toEqual(['point', 'populations.n.params.tau_m_ms', 'projections.p.weight_mv', 'populations.in.params.rate_hz', 'seed', 'status', 'run']);
    expect(csv[0]).toContain(',populations.n.rate_hz,');
    expect(csv[8].split(',').slice(0, 7)).toEqual(['p3', '20', '6', '40', '2', 'done', 'runs/p3-s2']);
    const sj = JSON.parse(readFileSync(join(serial, 'sweep.json'), 'utf8'));
    expect(sj.counts).toEqual({ runs: 12, done: 12, failed: 0, pending: 0 });
    expect(sj.points[7].metrics['populations.n.rate_hz']).toBe(JSON.parse(readFileSync(join(serial, 'runs/p3-s2/run.json'), 'utf8')).metrics.populations.n.rate_hz);
    // The report: one figure per varied path, from the table.
    expect(readdirSync(join(serial, 'figures')).filter((f) => f.endsWith('.svg'))).toHaveLength(3);
    expect(readFileSync(join(serial, 'report.html'), 'utf8')).toContain('12 runs: 12 done, 0 failed');
  }, 120_000);

  test('a run of the sweep is the same as `chronoprop run` with the same --seed and --set', () => {
    const out = join(tmp, 'single');
    const r = cli(['run', join(FIXTURE, 'small.json'), '-o', out, '--seed', '2', '--no-report', '-q', '--workers', '1',
      '--set', 'duration_ms=100', '--set', 'populations.n.params.tau_m_ms=20', '--set', 'projections.p.weight_mv=6', '--set', 'populations.in.params.rate_hz=40']);
    expect(r.code).toBe(0);
    expectSameFolders(out, join(serial, 'runs', 'p3-s2'));
  }, 60_000);

  test('resuming runs nothing done; a missing run is redone alone; a run that fails is reported with its error', () => {
    const dir = join(tmp, 'resume');
    cpSync(serial, dir, { recursive: true });
    const mtime = statSync(join(dir, 'runs/p0-s1/run.json')).mtimeMs;
    const again = cli(['sweep', SWEEP, '-o', dir, '--workers', '2', '--no-report']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/12 were done before/);
    expect(statSync(join(dir, 'runs/p0-s1/run.json')).mtimeMs).toBe(mtime);

    rmSync(join(dir, 'runs/p2-s1'), { recursive: true });
    rmSync(join(dir, 'runs/p4-s2'), { recursive: true });
    mkdirSync(join(dir, 'runs/p4-s2'));
    writeFileSync(join(dir, 'runs/p4-s2/notes.txt'), 'mine');
    const r = cli(['sweep', SWEEP, '-o', dir, '--workers', '2', '--no-report']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/12 runs \(11 done, 1 failed; 10 were done before\)/);
    expect(r.stderr.trim().split('\n')).toEqual([`error: runs/p4-s2 failed: output folder ${join(dir, 'runs/p4-s2')} exists and is not a chronoprop results folder (no run.json of ours in it); choose another with --out`]);
    expect(readFileSync(join(dir, 'runs/p4-s2/notes.txt'), 'utf8')).toBe('mine');
    expect(comparable(join(dir, 'runs/p2-s1/run.json'))).toBe(comparable(join(serial, 'runs/p2-s1/run.json')));
    const row = readFileSync(join(dir, 'points.csv'), 'utf8').split('\n').find((l) => l.startsWith('p4,') && l.includes(',2,failed,'));
    expect(row).toBe('p4,30,3,20,2,failed,runs/p4-s2' + ','.repeat(readFileSync(join(dir, 'points.csv'), 'utf8').split('\n')[0].split(',').length - 7));
    const sj = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8'));
    expect(sj.counts).toEqual({ runs: 12, done: 11, failed: 1, pending: 0 });
    expect(sj.points[9].error).toMatch(/is not a chronoprop results folder/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('Failed runs');
  }, 120_000);

  test('what is not ours is never touched; another sweep is replaced only with --force', () => {
    const mine = join(tmp, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'data.txt'), 'keep');
    const r = cli(['sweep', SWEEP, '-o', mine]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: output folder ${mine} exists and is not a chronoprop sweep folder (no sweep.json of ours in it); choose another with --out\n`);
    expect(readdirSync(mine)).toEqual(['data.txt']);

    const other = join(tmp, 'other.yaml');
    writeFileSync(other, `scenario: ${join(FIXTURE, 'small.json')}\nseeds: [5]\nset: { duration_ms: 20 }\n`);
    const dir = join(tmp, 'replace');
    cpSync(serial, dir, { recursive: true });
    const refused = cli(['sweep', other, '-o', dir, '-q']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: output folder .* holds a different sweep .*; pass --force to replace it, or choose another with --out\n$/);
    expect(existsSync(join(dir, 'runs/p0-s1/run.json'))).toBe(true);
    const forced = cli(['sweep', other, '-o', dir, '--force', '-q', '--no-report']);
    expect(forced.code).toBe(0);
    expect(readdirSync(join(dir, 'runs'))).toEqual(['p0-s5']);
  }, 60_000);

  test('bad input: one line, exit code 2, nothing written', () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, `scenario: ${join(FIXTURE, 'small.json')}\ngrid: { populations.n.params.tau_m_ms: [10, -5] }\n`);
    const r = cli(['sweep', bad, '-o', join(tmp, 'bad-out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${bad}: point p1 (populations.n.params.tau_m_ms=-5): populations[1].params.tau_m_ms must be > 0, got -5\n`);
    expect(existsSync(join(tmp, 'bad-out'))).toBe(false);
    expect(cli(['sweep', SWEEP, '--queue', 'http://x', '-o', join(tmp, 'q')]).stderr).toBe('error: --queue must be redis://host:port (optionally /db), got "http://x"\n');
  }, 60_000);

  test('--emit slurm: an array script whose tasks write the same run folders as the local pool', () => {
    const dir = join(tmp, 'slurm');
    const r = cli(['sweep', SWEEP, '-o', dir, '--emit', 'slurm', '--no-report']);
    expect(r.code).toBe(0);
    const script = readFileSync(join(dir, 'sweep.sbatch'), 'utf8');
    expect(script).toContain('#SBATCH --array=0-11\n');
    expect(JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')).counts).toEqual({ runs: 12, done: 0, failed: 0, pending: 12 });
    // Run two array tasks as Slurm would: the script's command with SLURM_ARRAY_TASK_ID set.
    const exec = script.split('\n').find((l) => l.startsWith('exec '))!;
    const args = [...exec.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(3);
    for (const k of ['7', '0']) {
      const t = cli(args.map((a) => (a === '"$SLURM_ARRAY_TASK_ID"' ? k : a)));
      expect(t.stderr).toBe('');
      expect(t.code).toBe(0);
    }
    expectSameFolders(join(dir, 'runs/p3-s2'), join(serial, 'runs/p3-s2'));
    expect(readdirSync(join(dir, 'runs'))).toEqual(['p0-s1', 'p3-s2']);
    // Collecting once the other tasks have run (their folders taken from the serial sweep): the table is the serial one.
    for (const r of readdirSync(join(serial, 'runs'))) if (!existsSync(join(dir, 'runs', r))) cpSync(join(serial, 'runs', r), join(dir, 'runs', r), { recursive: true });
    const c = cli(['sweep', SWEEP, '-o', dir, '--no-report', '--workers', '2']);
    expect(c.stdout).toMatch(/12 runs \(12 done, 0 failed; 12 were done before\)/);
    expect(readFileSync(join(dir, 'points.csv'), 'utf8')).toBe(readFileSync(join(serial, 'points.csv'), 'utf8'));
  }, 120_000);
});
