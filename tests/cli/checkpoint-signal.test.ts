/**
 * A polite kill loses nothing: `chronoprop run --checkpoint-every` sent SIGTERM (or SIGINT) once its first checkpoint
 * is written writes a newer checkpoint at its next safe point (between two slices of simulated time, or two
 * training examples), not at a cut, says so in one `note:` line and exits with 143 (130); `chronoprop resume` then
 * ends with the uninterrupted run's results folder, byte for byte (run.json's `timing` and `provenance` aside, and
 * spiking-digits' wall-clock metrics). The network run records state, weights and spikes spilling in small chunks,
 * so the checkpoint at the signal also counts spilled records. Needs the built command line (`npm run build`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ensureBuilt, spawnCli } from './cli.js';
import { readCheckpoint } from '../../src/scenario/checkpoint.js';
import { digitsRun, expectSameResults } from '../fixtures/checkpoint-runs.js';

const dir = mkdtempSync(join(tmpdir(), 'chronoprop-ckpt-signal-'));
beforeAll(ensureBuilt);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIXTURE = join(__dirname, '..', 'fixtures', 'checkpoint-net.json');

/**
 * Starts the command and sends `signal` as soon as the first checkpoint is there; resolves with the position of
 * that checkpoint, how the process ended and what it wrote to stderr.
 */
async function signalled(args: string[], ckFile: string, signal: NodeJS.Signals, env: NodeJS.ProcessEnv = {}): Promise<{ first: { position: number; written_at: string }; code: number | null; killedBy: string | null; stderr: string }> {
  const { child, exited } = spawnCli(args, env);
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
  const { code, signal: killedBy, stderr } = await exited;
  clearInterval(poll);
  return { first: first ?? { position: NaN, written_at: '' }, code, killedBy, stderr };
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
    const dref = join(dir, 'digits-ref');
    expect(cli(digitsRun(dref)).code).toBe(0);
    const out = join(dir, 'digits-term');
    const ckFile = join(`${out}.checkpoint`, 'checkpoint.bin');
    const r = await signalled(digitsRun(out, '--checkpoint-every', '8ex'), ckFile, 'SIGTERM');
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
