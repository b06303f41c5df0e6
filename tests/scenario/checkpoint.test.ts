/**
 * Checkpoint and restore in-process (scenario/checkpoint.ts, kernel/state-io.ts): a network saved between events
 * and loaded into a network built afresh from the same scenario continues exactly as the uninterrupted run, to the
 * byte, for a fixture that carries every kind of state (tests/fixtures/checkpoint-net.json: Poisson streams drawn
 * during the run, a partitioned LIF group, a linear model, pair and triplet STDP, Tsodyks-Markram, spike, state and
 * weight recorders, deliveries in flight). Also: a run with checkpoints writes the same files as one without, the
 * file format round-trips and refuses a damaged file, and the runner refuses what it cannot checkpoint.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, runScenario, resumeRun } from '../../src/api.js';
import { simulateNetwork } from '../../src/scenario/run-network.js';
import type { CheckpointHooks, OutputFile } from '../../src/scenario/experiment.js';
import { readBack, StateWriter, type StateReader } from '../../src/kernel/state-io.js';
import { readCheckpoint, writeCheckpoint, checkpointDir } from '../../src/scenario/checkpoint.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import type { Scenario } from '../../src/scenario/schema.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'checkpoint-net.json');
const dir = mkdtempSync(join(tmpdir(), 'chronoprop-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (): Scenario => loadScenario(FIXTURE);
const bytes = (files: OutputFile[]) => new Map(files.map((f) => [f.path, Buffer.from(f.data)]));

function expectSameFiles(a: OutputFile[], b: OutputFile[]): void {
  const A = bytes(a);
  const B = bytes(b);
  expect([...B.keys()]).toEqual([...A.keys()]);
  for (const [path, data] of A) expect(B.get(path)!.equals(data), path).toBe(true);
}

/** Hooks that keep every checkpoint in memory (read back through the tree and copies, as a file would give it). */
function memoryHooks(every: number, resume: StateReader | null = null): { hooks: CheckpointHooks; saved: Map<number, StateReader> } {
  const saved = new Map<number, StateReader>();
  return {
    saved,
    hooks: {
      every,
      resume,
      save(position, fill) {
        const w = new StateWriter();
        fill(w);
        saved.set(position, readBack(w));
      },
    },
  };
}

describe('checkpoint and restore in-process', () => {
  const plain = simulateNetwork(scenario(), { workers: 1 }).result.files;

  it('the fixture is busy: spikes everywhere, plastic weights moved, state and weight series recorded', () => {
    const f = bytes(plain);
    for (const p of ['spikes/input.csv', 'spikes/exc.csv', 'spikes/inh.csv']) expect(f.get(p)!.toString().split('\n').length, p).toBeGreaterThan(30);
    expect(f.has('state/exc.csv') && f.has('state/inh.csv') && f.has('weights/in_exc.series.csv') && f.has('weights/ee.csv')).toBe(true);
  });

  it('a run cut into checkpoints writes the same files as one in one go', () => {
    const { hooks, saved } = memoryHooks(70);
    expectSameFiles(plain, simulateNetwork(scenario(), { workers: 1, checkpoint: hooks }).result.files);
    expect([...saved.keys()]).toEqual([70, 140, 210, 280, 350]);
  });

  it('resumed from any checkpoint, the run ends with the same files, byte for byte', () => {
    const { hooks, saved } = memoryHooks(70);
    simulateNetwork(scenario(), { workers: 1, checkpoint: hooks });
    for (const [at, state] of saved) {
      const resumed = memoryHooks(70, state);
      const files = simulateNetwork(scenario(), { workers: 1, checkpoint: resumed.hooks }).result.files;
      expectSameFiles(plain, files);
      expect([...resumed.saved.keys()], `from ${at}`).toEqual([70, 140, 210, 280, 350].filter((t) => t > at));
    }
  });

  it('through the file: written atomically, read back, resumed to the same files; a damaged file is refused', () => {
    const { hooks, saved } = memoryHooks(70);
    simulateNetwork(scenario(), { workers: 1, checkpoint: hooks });
    const sc = scenario();
    const ck = join(dir, 'file.checkpoint');
    const fileHooks: CheckpointHooks = {
      every: 70,
      resume: null,
      save: (position, fill) => {
        const w = new StateWriter();
        fill(w);
        const run = { out: '', cwd: '', report: false, replace: false, max_memory: null, workers: 1, command: null, started_at: '', every: { value: 70, unit: 'ms' as const }, resumed: [] };
        writeCheckpoint(ck, { version: 'test', written_at: '', scenario_sha256: '', run, position, scenario: sc }, w);
        if (position === 140) throw new Stop();
      },
    };
    class Stop extends Error {}
    expect(() => simulateNetwork(sc, { workers: 1, checkpoint: fileHooks })).toThrow(Stop);
    expect(readdirSync(ck)).toEqual(['checkpoint.bin']);
    const { header, state } = readCheckpoint(join(ck, 'checkpoint.bin'));
    expect(header.position).toBe(140);
    expect(saved.has(140)).toBe(true);
    const files = simulateNetwork(scenario(), { workers: 1, checkpoint: memoryHooks(70, state).hooks }).result.files;
    expectSameFiles(plain, files);
    const file = join(ck, 'checkpoint.bin');
    const buf = readFileSync(file);
    buf[buf.length - 3] ^= 1;
    writeFileSync(file, buf);
    expect(() => readCheckpoint(file)).toThrow(/is damaged: its data does not match the SHA-256/);
    writeFileSync(file, buf.subarray(0, buf.length - 100));
    expect(() => readCheckpoint(file)).toThrow(/is truncated/);
  });
});

describe('the runner', () => {
  it('runs with --checkpoint-every, removes the checkpoint at the end, and refuses what it cannot checkpoint', async () => {
    const out = join(dir, 'run');
    const plainOut = join(dir, 'plain');
    await runScenario(scenario(), plainOut, { workers: 1, report: false });
    await runScenario(scenario(), out, { workers: 1, report: false, checkpointEvery: '100ms' });
    expect(existsSync(checkpointDir(out))).toBe(false);
    for (const f of readdirSync(join(plainOut, 'spikes'))) {
      expect(readFileSync(join(out, 'spikes', f)).equals(readFileSync(join(plainOut, 'spikes', f)))).toBe(true);
    }
    const refused = async (p: Promise<unknown>) => {
      const e = await p.then(() => null, (x: unknown) => x);
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).problems).toHaveLength(1);
      return (e as ScenarioError).problems[0];
    };
    expect(await refused(runScenario(scenario(), join(dir, 'x'), { workers: 1, report: false, checkpointEvery: '100ex' }))).toBe(
      '--checkpoint-every must be in simulated milliseconds, e.g. 200ms, for experiment network, got 100ex',
    );
    expect(await refused(runScenario(scenario(), join(dir, 'x'), { workers: 1, report: false, checkpointEvery: '-3ms' }))).toMatch(/^--checkpoint-every must be simulated milliseconds .*, got "-3ms"$/);
    const rate = loadScenario('cuba', { set: ['mode=rate', 'duration_ms=50'] });
    expect(await refused(runScenario(rate, join(dir, 'x'), { workers: 1, report: false, checkpointEvery: '10ms' }))).toMatch(/^--checkpoint-every is not supported for experiment network in rate mode/);
    const window = loadScenario('stdp-window');
    expect(await refused(runScenario(window, join(dir, 'x'), { workers: 1, report: false, checkpointEvery: '10ms' }))).toMatch(/^--checkpoint-every is not supported for experiment stdp-window/);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect(await refused(resumeRun(join(dir, 'nothing')))).toMatch(/^no checkpoint at /);
  });
});
