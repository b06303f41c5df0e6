/**
 * A polite kill loses nothing: `chronoprop run --checkpoint-every` sent SIGTERM (or SIGINT) once its first checkpoint
 * is written writes a newer checkpoint at its next safe point (between two slices of simulated time, or two
 * training examples), not at a cut, says so in one `note:` line and exits with 143 (130); `chronoprop resume` then
 * ends with the uninterrupted run's results folder, byte for byte (run.json's `timing` and `provenance` aside, and
 * spiking-digits' wall-clock metrics). The network run records state, weights and spikes spilling in small chunks,
 * so the checkpoint at the signal also counts spilled records. Needs the built command line (`npm run build`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, cli, ensureBuilt } from './cli.js';
import { readCheckpoint } from '../../src/scenario/checkpoint.js';
import { expectSameFolder } from '../fixtures/folder-files.js';

const dir = mkdtempSync(join(tmpdir(), 'chronoprop-ckpt-signal-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIXTURE = join(__dirname, '..', 'fixtures', 'checkpoint-net.json');
/** Metrics that are wall-clock measurements (spiking-digits), different in any two runs. */
const WALL = ['training_wall_s', 'training_cpu_s', 'training_events_per_s', 'final_evaluation_wall_s'];

function runJson(b: Buffer): unknown {
  const { timing: _t, provenance: _p, ...rest } = JSON.parse(b.toString()) as Record<string, unknown>;
  const m = rest.metrics as Record<string, unknown>;
  for (const k of WALL) delete m[k];
  if (Array.isArray(m.learning_curve)) m.learning_curve = m.learning_curve.map(({ wall_s: _, ...p }: Record<string, unknown>) => p);
  return rest;
}

function expectSameResults(a: string, b: string): void {
  expectSameFolder(a, b, runJson);
}


/**
 * Starts the command and sends `signal` as soon as the first checkpoint is there; resolves with the position of
 * that checkpoint, how the process ended and what it wrote to stderr.
 */
function signalled(args: string[], ckFile: string, signal: NodeJS.Signals, env: NodeJS.ProcessEnv = {}): Promise<{ first: { position: number; written_at: string }; code: number | null; killedBy: string | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  let first: { position: number; written_at: string } | null = null;
  const poll = setInterval(() => {
    if (first !== null || !existsSync(ckFile)) return;
    try {
      first = readCheckpoint(ckFile).header;
    } catch {
      return; // caught between the write and the rename: read it again
    }
    child.kill(signal);
  }, 5);
  return new Promise((done) => {
    child.on('exit', (code, killedBy) => {
      clearInterval(poll);
      done({ first: first ?? { position: NaN, written_at: '' }, code, killedBy, stderr });
    });
  });
}

describe('SIGTERM or SIGINT with --checkpoint-every: a checkpoint at the next safe point, then resume to the same bytes', () => {
  const set = ['--set', 'duration_ms=4000'];
  const ref = join(dir, 'net-ref');
  const small = { CHRONOPROP_SPIKE_CHUNK: '50', CHRONOPROP_SAMPLE_CHUNK: '7' };

  // A signal that lands after the last safe point is raised again at the end (interrupt.ts, signal-latch.test.ts);
  // before that fix a late SIGINT on a loaded fresh clone let the run finish with exit 0 and no checkpoint.
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('network (state, weights and spikes spilling): %s', async (signal, code) => {
    if (!existsSync(ref)) expect(cli(['run', FIXTURE, ...set, '-o', ref, '--no-report', '-q']).code).toBe(0);
    const out = join(dir, `net-${signal}`);
    const ckFile = join(`${out}.checkpoint`, 'checkpoint.bin');
    const r = await signalled(['run', FIXTURE, ...set, '-o', out, '--no-report', '-q', '--checkpoint-every', '400ms'], ckFile, signal, small);
    expect(r.first.position % 400).toBe(0); // the first checkpoint seen (a later one if the poll came late)
    expect({ code: r.code, killedBy: r.killedBy }).toEqual({ code, killedBy: null });
    // A newer checkpoint, at the signal: past the first, between two cuts (a safe point, not a cut), as the note says.
    const { header, state } = readCheckpoint(ckFile);
    expect(header.written_at > r.first.written_at).toBe(true);
    expect(header.position).toBeGreaterThan(r.first.position);
    // Between two cuts (a safe point, not a cut), or at the end of the simulation, itself a safe point, when the
    // signal came late on a loaded machine (seen on a fresh-clone CI).
    expect(header.position).toBeLessThanOrEqual(4000);
    if (header.position < 4000) expect(header.position % 400).not.toBe(0);
    expect(r.stderr).toBe(`note: interrupted by ${signal}: checkpoint written at ${header.position} simulated ms; continue with \`chronoprop resume ${out}\`\n`);
    expect(state.scope('network').scope('recorders').scope('state0').num('spilled')).toBeGreaterThan(0);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    const resumed = cli(['resume', out, '-q']); // with the default chunks: results never depend on them
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expectSameResults(ref, out);
    expect(existsSync(`${out}.checkpoint`)).toBe(false);
  }, 300_000);

  it('fa-digits (40 examples on the MNIST fixture): SIGTERM between two examples, resumed, identical', async () => {
    const dset = ['settings.data_dir=tests/fixtures/mnist-tiny', 'settings.train_examples=40', 'settings.block_examples=20',
      'settings.validation_examples=20', 'settings.block_validation_examples=10', 'settings.final_test_examples=20',
      'populations.hid.size=40', 'projections.in_hid.connect.n=20', 'settings.plasticity_decay=0.5', 'settings.rate_twins=false'].flatMap((s) => ['--set', s]);
    const dref = join(dir, 'digits-ref');
    expect(cli(['run', 'fa-digits', ...dset, '-o', dref, '--no-report', '-q', '--workers', '1']).code).toBe(0);
    const out = join(dir, 'digits-term');
    const ckFile = join(`${out}.checkpoint`, 'checkpoint.bin');
    const r = await signalled(['run', 'fa-digits', ...dset, '-o', out, '--no-report', '-q', '--workers', '1', '--checkpoint-every', '8ex'], ckFile, 'SIGTERM');
    expect(r.first.position % 8).toBe(0);
    expect({ code: r.code, killedBy: r.killedBy }).toEqual({ code: 143, killedBy: null });
    // A newer checkpoint at the next safe point: after the example that follows, or after the one just checkpointed
    // if the signal is seen there already (the same position, written again).
    const { header } = readCheckpoint(ckFile);
    expect(header.written_at > r.first.written_at).toBe(true);
    expect(header.position).toBeGreaterThanOrEqual(r.first.position);
    expect(header.position).toBeLessThanOrEqual(40);
    expect(r.stderr).toBe(`note: interrupted by SIGTERM: checkpoint written at ${header.position} examples; continue with \`chronoprop resume ${out}\`\n`);
    const resumed = cli(['resume', out, '-q']);
    expect(resumed.code).toBe(0);
    expectSameResults(dref, out);
  }, 300_000);
});
