/**
 * Runs whose spike recorders spill to disk (recording/spikes.ts, runner.ts), with a chunk far smaller than the
 * fixture's spike counts: the results folder is byte for byte the in-memory run's (spikes.h5 included), the
 * recorders never hold more than a chunk, and nothing of the spilling is left beside or in the results. A run with
 * checkpoints, killed after a checkpoint once it had spilled more (the files hold spikes the checkpoint does not
 * count), resumes to the same folder byte for byte.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, resumeRun, runScenario } from '../../src/api.js';
import { simulateNetwork } from '../../src/scenario/run-network.js';
import { SpikeRecorder } from '../../src/recording/spikes.js';
import { checkpointDir, readCheckpoint } from '../../src/scenario/checkpoint.js';
import type { OutputFile } from '../../src/scenario/experiment.js';
import { estimateMemory, SPIKE_OUTPUT_BYTES } from '../../src/scenario/budget.js';
import { typedArrayBytes } from '../../src/scenario/memory.js';
import { expectSameFolder } from '../fixtures/folder-files.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'checkpoint-net.json');
const CHUNK = 50;
const dir = mkdtempSync(join(tmpdir(), 'chronoprop-spill-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.CHRONOPROP_SPIKE_CHUNK;
});



describe('the memory budget', () => {
  it('counts recorded spikes at the chunk, whatever the duration', () => {
    const sc = (ms: number) => loadScenario({ name: 's', seed: 1, duration_ms: ms, populations: [{ name: 'p', model: 'poisson_source', size: 4000, params: { rate_hz: 5 } }], projections: [] });
    const spikeParts = (ms: number) => estimateMemory(sc(ms)).parts.filter((p) => p.field.startsWith('record.spikes'));
    expect(spikeParts(1000)).toEqual(spikeParts(1e6));
    expect(spikeParts(1e6).reduce((a, p) => a + p.bytes, 0)).toBe(2 ** 20 * (12 + SPIKE_OUTPUT_BYTES));
    expect(estimateMemory(sc(1e6)).bytes).toBe(estimateMemory(sc(1000)).bytes);
  });
});

describe('spike recorders that spill, in a run', () => {
  it('simulateNetwork: the same metrics and files as in memory; each recorder held at most a chunk', () => {
    const plain = simulateNetwork(loadScenario(FIXTURE), { workers: 1 });
    const spill = join(dir, 'sim-spill');
    const spilled = simulateNetwork(loadScenario(FIXTURE), { workers: 1, spill: { dir: spill, chunk: CHUNK } });
    expect(spilled.result.metrics).toEqual(plain.result.metrics);
    for (const [name, rec] of spilled.net.spikes) {
      expect(rec.capacity, name).toBeLessThanOrEqual(CHUNK);
      expect(rec.spilledCount, name).toBeGreaterThan(rec.count - CHUNK);
    }
    expect(spilled.net.spikes.get('input')!.count).toBeGreaterThan(10 * CHUNK);
    // The memory budget counts each recorder at its bound, which is what it holds.
    const est = estimateMemory(loadScenario(FIXTURE), 0, CHUNK).parts.filter((p) => p.field.startsWith('record.spikes'));
    expect(est.map((p) => [p.field, p.bytes])).toEqual([
      ['record.spikes (all: input)', CHUNK * 12],
      ['record.spikes (all: exc)', CHUNK * 12],
      ['record.spikes (all: inh)', CHUNK * 12],
      ['record.spikes', CHUNK * SPIKE_OUTPUT_BYTES],
    ]);
    for (const rec of spilled.net.spikes.values()) expect(typedArrayBytes([rec], new Set([rec.source]))).toBeLessThanOrEqual(CHUNK * 12);
    // In memory the spike CSVs are strings among the files; spilled they are streamed, with the same bytes.
    const text = (f: OutputFile[]) => new Map(f.map((x) => [x.path, Buffer.from(x.data)]));
    const a = text(plain.result.files);
    const b = text(spilled.result.files);
    for (const s of spilled.result.streamed!) {
      const pieces: Buffer[] = [];
      s.write((p) => pieces.push(Buffer.from(p)));
      b.set(s.path, Buffer.concat(pieces));
    }
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, data] of a) expect(b.get(path)!.equals(data), path).toBe(true);
    expect(plain.result.streamed).toEqual([]);
  });

  it('runScenario with a small chunk writes the same folder as with the default chunk, spikes.h5 included, and leaves no spill behind', async () => {
    const ref = join(dir, 'ref');
    await runScenario(loadScenario(FIXTURE), ref, { workers: 1, report: false });
    const out = join(dir, 'small-chunk');
    let peak = 0;
    const orig = SpikeRecorder.prototype.onSpike;
    vi.spyOn(SpikeRecorder.prototype, 'onSpike').mockImplementation(function (this: SpikeRecorder, i: number, t: number) {
      orig.call(this, i, t);
      peak = Math.max(peak, this.capacity);
    });
    await runScenario(loadScenario(FIXTURE), out, { workers: 1, report: false, spikeChunk: CHUNK });
    expect(peak).toBe(CHUNK);
    expectSameFolder(ref, out);
    expect(readdirSync(dir).filter((f) => f.startsWith('small-chunk'))).toEqual(['small-chunk']);
  });

  it('killed after a checkpoint with more spilled since, resumed: the same folder as the run in one go', async () => {
    const ref = join(dir, 'ref-ck');
    await runScenario(loadScenario(FIXTURE), ref, { workers: 1, report: false });
    const out = join(dir, 'killed');
    process.env.CHRONOPROP_SPIKE_CHUNK = String(CHUNK);
    // The "kill": once the second checkpoint is written and the input recorder has spilled two more chunks.
    let saves = 0;
    let spilledAtSave = 0;
    const save = SpikeRecorder.prototype.saveState;
    vi.spyOn(SpikeRecorder.prototype, 'saveState').mockImplementation(function (this: SpikeRecorder, w) {
      save.call(this, w);
      if (this.source.name === 'input' && ++saves === 2) spilledAtSave = this.spilledCount;
    });
    const onSpike = SpikeRecorder.prototype.onSpike;
    class Killed extends Error {}
    vi.spyOn(SpikeRecorder.prototype, 'onSpike').mockImplementation(function (this: SpikeRecorder, i: number, t: number) {
      onSpike.call(this, i, t);
      if (saves >= 2 && this.source.name === 'input' && this.spilledCount >= spilledAtSave + 2 * CHUNK) throw new Killed();
    });
    await expect(runScenario(loadScenario(FIXTURE), out, { workers: 1, report: false, checkpointEvery: '100ms' })).rejects.toThrow(Killed);
    vi.restoreAllMocks();
    const ck = checkpointDir(out);
    const spill = join(ck, 'spill');
    const { header, state } = readCheckpoint(join(ck, 'checkpoint.bin'));
    expect(header.position).toBe(200);
    const counted = state.scope('network').scope('recorders').scope('spikes:input').num('spilled');
    expect(counted).toBe(spilledAtSave);
    expect(counted).toBeGreaterThan(0);
    // The files hold more than the checkpoint counts: what the killed run appended after it.
    expect(statSync(join(spill, 'input.ids.i32')).size).toBeGreaterThanOrEqual((counted + 2 * CHUNK) * 4);
    expect(existsSync(out)).toBe(false);
    await resumeRun(out);
    expectSameFolder(ref, out);
    expect(existsSync(ck)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('killed'))).toEqual(['killed']);
  });
});
