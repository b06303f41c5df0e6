/**
 * Runs whose state and weight recorders spill to disk (recording/spill.ts, runner.ts) with a chunk of 3 samples:
 * the results folder is byte for byte the run's with the default chunk (which holds the fixture's samples in
 * memory), and nothing of the spilling is left. A run with checkpoints, killed after a checkpoint once its state
 * recorder had spilled more (the files hold samples the checkpoint does not count), resumes to the same folder.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, resumeRun, runScenario } from '../../src/api.js';
import { StateRecorder } from '../../src/recording/state.js';
import { checkpointDir, readCheckpoint } from '../../src/scenario/checkpoint.js';
import { expectSameFolder } from '../fixtures/folder-files.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'checkpoint-net.json');
const CHUNK = 3;
const dir = mkdtempSync(join(tmpdir(), 'chronoprop-sample-spill-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.CHRONOPROP_SAMPLE_CHUNK;
});


describe('state and weight recorders that spill, in a run', () => {
  const ref = join(dir, 'ref');

  it('runScenario with a chunk of 3 samples writes the folder of the default chunk and leaves no spill behind', async () => {
    await runScenario(loadScenario(FIXTURE), ref, { workers: 1, report: false });
    const out = join(dir, 'small');
    let peak = 0;
    const orig = StateRecorder.prototype.handleEvent;
    vi.spyOn(StateRecorder.prototype, 'handleEvent').mockImplementation(function (this: StateRecorder, t: number) {
      orig.call(this, t);
      peak = Math.max(peak, this.record.capacity);
    });
    await runScenario(loadScenario(FIXTURE), out, { workers: 1, report: false, sampleChunk: CHUNK });
    expect(peak).toBe(CHUNK);
    expectSameFolder(ref, out);
    expect(readdirSync(dir).filter((f) => f.startsWith('small'))).toEqual(['small']);
  });

  it('killed after a checkpoint with more samples spilled since, resumed: the same folder as the run in one go', async () => {
    const out = join(dir, 'killed');
    process.env.CHRONOPROP_SAMPLE_CHUNK = String(CHUNK);
    // The "kill": once the second checkpoint is written and exc's state recorder has spilled five more chunks.
    let saves = 0;
    let spilledAtSave = 0;
    const save = StateRecorder.prototype.saveState;
    vi.spyOn(StateRecorder.prototype, 'saveState').mockImplementation(function (this: StateRecorder, w) {
      save.call(this, w);
      if (this.pop.name === 'exc' && ++saves === 2) spilledAtSave = this.record.spilled;
    });
    const sample = StateRecorder.prototype.handleEvent;
    class Killed extends Error {}
    vi.spyOn(StateRecorder.prototype, 'handleEvent').mockImplementation(function (this: StateRecorder, t: number) {
      sample.call(this, t);
      if (saves >= 2 && this.pop.name === 'exc' && this.record.spilled >= spilledAtSave + 5 * CHUNK) throw new Killed();
    });
    await expect(runScenario(loadScenario(FIXTURE), out, { workers: 1, report: false, checkpointEvery: '100ms' })).rejects.toThrow(Killed);
    vi.restoreAllMocks();
    const ck = checkpointDir(out);
    const { header, state } = readCheckpoint(join(ck, 'checkpoint.bin'));
    expect(header.position).toBe(200);
    const counted = state.scope('network').scope('recorders').scope('state0').num('spilled');
    expect(counted).toBe(spilledAtSave);
    expect(counted).toBeGreaterThan(0);
    // The files hold more than the checkpoint counts: what the killed run appended after it.
    expect(statSync(join(ck, 'spill', 'state', '0.values.f64')).size).toBeGreaterThanOrEqual((counted + 5 * CHUNK) * 6 * 8);
    expect(existsSync(out)).toBe(false);
    await resumeRun(out);
    expectSameFolder(ref, out);
    expect(existsSync(ck)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('killed'))).toEqual(['killed']);
  });
});
