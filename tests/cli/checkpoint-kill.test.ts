/**
 * Killed and resumed, as a user's run would be: `chronoprop run --checkpoint-every` is killed with SIGKILL at
 * seeded random points (after a seeded number of checkpoint writes, then a seeded delay: some land while a
 * checkpoint is being written), `chronoprop resume` continues, and is killed again, several times; the results
 * folder at the end must be byte-identical to an uninterrupted run's, run.json's `timing` and `provenance` aside
 * (and the wall-clock metrics of spiking-digits; spikes.h5 is left out: HDF5 headers carry creation times, the spike
 * CSVs hold the same spikes). A network with STDP, a learning experiment, and the checkpoint fixture with its spike,
 * state and weight recorders spilling to disk in small chunks. Needs the built command line (`npm run build`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ensureBuilt, hasStack, spawnCli } from './cli.js';
import { createRng, type Rng } from '../../src/kernel/rng.js';
import { folderFiles } from '../fixtures/folder-files.js';
import { digitsRun, expectSameResults } from '../fixtures/checkpoint-runs.js';

const dir = mkdtempSync(join(tmpdir(), 'chronoprop-ckpt-kill-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = folderFiles;

/** The checkpoint file's identity now (inode and mtime change at each rename), or '' if there is none. */
function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.mtimeMs}`;
  } catch {
    return '';
  }
}

/**
 * Starts the command; after `writes` new checkpoints (or at once if 0) and then `delayMs`, kills it with SIGKILL.
 * Resolves with whether it was killed (false: it finished first) and its exit code.
 */
async function runAndKill(args: string[], ckFile: string, writes: number, delayMs: number): Promise<{ killed: boolean; code: number | null; stderr: string }> {
  const { child, exited } = spawnCli(args);
  let seen = 0;
  let last = stamp(ckFile);
  let fired = false;
  const poll = setInterval(() => {
    const now = stamp(ckFile);
    if (now !== '' && now !== last) {
      seen++;
      last = now;
    }
    if (!fired && seen >= writes) {
      fired = true;
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    }
  }, 2);
  const { code, signal, stderr } = await exited;
  clearInterval(poll);
  return { killed: signal === 'SIGKILL', code, stderr };
}

/** Kills the run `kills` times at seeded points, resuming each time, then lets it finish; returns the kills that landed. */
async function killedAndResumed(runArgs: string[], out: string, rng: Rng, kills: number, maxWrites: number): Promise<number> {
  const ckFile = join(`${out}.checkpoint`, 'checkpoint.bin');
  let landed = 0;
  for (let attempt = 0; attempt < kills + 8; attempt++) {
    const args = existsSync(ckFile) ? ['resume', out, '-q'] : runArgs;
    const last = landed >= kills;
    const r = last
      ? await runAndKill(args, ckFile, Infinity, 0)
      : await runAndKill(args, ckFile, rng.int(maxWrites + 1), rng.int(60));
    if (r.killed) {
      landed++;
      continue;
    }
    expect(r.stderr.replace(/^note: .*\n/gm, ''), args.join(' ')).toBe('');
    expect(r.code).toBe(0);
    return landed;
  }
  throw new Error('the run never finished');
}

describe('SIGKILL at random points, resume, the same bytes', () => {
  it('cuba-stdp (shortened): killed 4 times, resumed, identical to the uninterrupted run', async () => {
    const set = ['duration_ms=400', 'populations.exc.size=800', 'populations.inh.size=200', 'projections.ee.connect.p=0.08',
      'projections.ei.connect.p=0.08', 'projections.ie.connect.p=0.08', 'projections.ii.connect.p=0.08'].flatMap((s) => ['--set', s]);
    const ref = join(dir, 'ref');
    expect(cli(['run', 'cuba-stdp', ...set, '-o', ref, '--no-report', '-q']).code).toBe(0);
    const out = join(dir, 'killed');
    const landed = await killedAndResumed(['run', 'cuba-stdp', ...set, '-o', out, '--no-report', '-q', '--checkpoint-every', '25ms'], out, createRng(20, 'checkpoint-kill/cuba-stdp'), 4, 2);
    expect(landed).toBeGreaterThanOrEqual(3); // a kill may come after the run finished
    expectSameResults(ref, out, false);
    const resumed = (JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { provenance: { resumed?: unknown[] } }).provenance.resumed ?? [];
    expect(resumed.length).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('killed') || f.startsWith('ref')).sort()).toEqual(['killed', 'ref']);
  }, 300_000);

  it('fa-digits (40 examples on the MNIST fixture): killed 3 times between and during examples, resumed, identical', async () => {
    const ref = join(dir, 'digits-ref');
    expect(cli(digitsRun(ref)).code).toBe(0);
    const out = join(dir, 'digits-killed');
    const run = digitsRun(out, '--checkpoint-every', '4ex');
    const landed = await killedAndResumed(run, out, createRng(20, 'checkpoint-kill/fa-digits'), 3, 2);
    expect(landed).toBeGreaterThanOrEqual(2); // a kill may come after the run finished
    expectSameResults(ref, out, false);
    expect(readdirSync(dir).filter((f) => f.startsWith('digits')).sort()).toEqual(['digits-killed', 'digits-ref']);
  }, 300_000);

  it('recorders spilling to disk (CHRONOPROP_SPIKE_CHUNK=50, CHRONOPROP_SAMPLE_CHUNK=7): killed 3 times, resumed, identical to the uninterrupted in-memory run', async () => {
    const fixture = join(__dirname, '..', 'fixtures', 'checkpoint-net.json');
    const set = ['--set', 'duration_ms=1500'];
    const ref = join(dir, 'spill-ref');
    expect(cli(['run', fixture, ...set, '-o', ref, '--no-report', '-q']).code).toBe(0);
    const out = join(dir, 'spill-killed');
    process.env.CHRONOPROP_SPIKE_CHUNK = '50'; // the fixture's input population fires about 3,600 times
    process.env.CHRONOPROP_SAMPLE_CHUNK = '7'; // its exc state recorder samples 1,500 times, its weight recorder 30
    try {
      const landed = await killedAndResumed(['run', fixture, ...set, '-o', out, '--no-report', '-q', '--checkpoint-every', '100ms'], out, createRng(20, 'checkpoint-kill/spill'), 3, 6);
      expect(landed).toBeGreaterThanOrEqual(2); // a kill may come after the run finished
    } finally {
      delete process.env.CHRONOPROP_SPIKE_CHUNK;
      delete process.env.CHRONOPROP_SAMPLE_CHUNK;
    }
    expectSameResults(ref, out);
    expect(readdirSync(dir).filter((f) => f.startsWith('spill')).sort()).toEqual(['spill-killed', 'spill-ref']);
  }, 300_000);

  it('a run into a place with an unfinished run\'s checkpoint is refused (the killed run\'s partial folder is cleaned, the checkpoint kept); resuming a run that had finished removes the stale checkpoint', async () => {
    const fixture = join(__dirname, '..', 'fixtures', 'checkpoint-net.json');
    const out = join(dir, 'net');
    const ck = join(`${out}.checkpoint`, 'checkpoint.bin');
    const args = ['run', fixture, '--set', 'duration_ms=1500', '-o', out, '--no-report', '-q', '--checkpoint-every', '250ms'];
    expect((await runAndKill(args, ck, 1, 0)).killed).toBe(true);
    expect(existsSync(ck)).toBe(true);
    mkdirSync(`${out}.partial-999999999`);
    const again = cli(args);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`note: removed net.partial-999999999, left beside ${out} by a run that was killed`);
    expect(again.stderr).toContain(`error: a checkpoint of an unfinished run is at ${out}.checkpoint: continue that run with \`chronoprop resume ${out}.checkpoint\`, or remove the folder to start afresh`);
    expect(existsSync(ck) && !existsSync(out) && !existsSync(`${out}.partial-999999999`)).toBe(true);
    const stale = readFileSync(ck);
    writeFileSync(`${ck}.tmp-999999999`, 'a checkpoint write that was killed half-way');
    const resumed = cli(['resume', out, '-q']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toBe('note: removed checkpoint.bin.tmp-999999999, a checkpoint write that was killed\n');
    expect(existsSync(`${out}.checkpoint`)).toBe(false);
    const results = files(out);
    // A kill between the results' rename and the checkpoint's removal leaves this: resume sees the run had finished.
    mkdirSync(`${out}.checkpoint`);
    writeFileSync(ck, stale);
    const late = cli(['resume', out, '-q']);
    expect(late.code).toBe(0);
    expect(late.stderr).toBe(`note: the run had finished (its results are in ${out}); removed its checkpoint\n`);
    expect(existsSync(`${out}.checkpoint`)).toBe(false);
    expect(files(out)).toEqual(results);
  }, 300_000);
});

describe('bad input', () => {
  it('a bad --checkpoint-every, or one an experiment cannot take, is one error line and exit code 2, nothing written', () => {
    const out = join(dir, 'bad');
    for (const [args, line] of [
      [['--checkpoint-every', '200'], 'error: --checkpoint-every must be simulated milliseconds (e.g. 200ms) or a whole number of training examples (e.g. 1000ex), got "200"'],
      [['--checkpoint-every', '2.5ex'], 'error: --checkpoint-every must be simulated milliseconds (e.g. 200ms) or a whole number of training examples (e.g. 1000ex), got "2.5ex"'],
      [['--checkpoint-every', '10ex'], 'error: --checkpoint-every must be in simulated milliseconds, e.g. 200ms, for experiment network, got 10ex'],
      [['--mode', 'rate', '--checkpoint-every', '10ms'], 'error: --checkpoint-every is not supported for experiment network in rate mode (checkpoints: network in spiking mode, in simulated ms; spiking-digits, in training examples), got 10ms'],
    ] as const) {
      const r = cli(['run', 'single-neuron', '-o', out, '-q', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual([line]);
      expect(hasStack(r.stderr)).toBe(false);
      expect(existsSync(out) || existsSync(`${out}.checkpoint`)).toBe(false);
    }
  }, 120_000);
});
