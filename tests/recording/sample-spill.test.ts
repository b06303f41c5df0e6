/**
 * State and weight recorders in bounded memory (src/recording/state.ts, weights.ts over recording/spill.ts): a
 * recorder that spills holds at most one chunk of samples and appends the rest to disk; its files
 * (state/<pop>.csv, .npy, weights/<proj>.series.csv, .npy) are written by streaming over the chunks
 * (scenario/record-files.ts). With chunks of 1, 3 and 777 samples they must be byte for byte what the writers gave
 * before streaming: whole columns from the unchunked recorder, written as one table by tableCsv and npyTable
 * (rebuilt here as the runner built them). The values are also checked where that is cheap: the NPY and CSV read
 * back (by the tests' own readers) against the unchunked traces, and a static projection's snapshots against its
 * weights. The buffers never exceed the chunk, and the spill files hold the rest: removing the bound fails this.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/api.js';
import { simulateNetwork, type NetworkRun } from '../../src/scenario/run-network.js';
import { StateRecorder } from '../../src/recording/state.js';
import { WeightRecorder } from '../../src/recording/weights.js';
import { tableCsv } from '../../src/scenario/csv.js';
import { npyTable } from '../../src/formats/npy.js';
import { parseNpy } from '../formats/npy-reader.js';
import { typedArrayBytes } from '../../src/scenario/memory.js';
import type { Scenario } from '../../src/scenario/schema.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'checkpoint-net.json');
const dir = mkdtempSync(join(tmpdir(), 'chronoprop-sample-spill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** The fixture for 1.5 s: exc sampled 1500 times (3 neurons, 2 variables), inh 3 times; in_exc (plastic) and ie (static) snapshotted 30 times. */
function fixture(): Scenario {
  return loadScenario(FIXTURE, { set: ['duration_ms=1500', 'record.weights=[{"projection": "in_exc", "every_ms": 50}, {"projection": "ie", "every_ms": 50}]'] });
}

/** The recorders' files as the runner wrote them before streaming: whole columns, one tableCsv and one npyTable each. */
function reference(run: NetworkRun): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const { net } = run;
  for (const r of net.state) {
    const times = r.times();
    const nT = times.length;
    const n = r.neurons.length;
    const rows = nT * n;
    const tCol = new Float64Array(rows);
    const nCol = new Float64Array(rows);
    const cols = r.vars.map(() => new Float64Array(rows));
    const traces = r.neurons.map((_, a) => r.vars.map((_, v) => r.trace(a, v)));
    for (let k = 0; k < nT; k++) {
      for (let a = 0; a < n; a++) {
        tCol[k * n + a] = times[k];
        nCol[k * n + a] = r.neurons[a];
        r.vars.forEach((_, v) => (cols[v][k * n + a] = traces[a][v][k]));
      }
    }
    out.set(`state/${r.pop.name}.csv`, Buffer.from(tableCsv(['t_ms', 'neuron', ...r.vars], [tCol, nCol, ...cols])));
    out.set(`state/${r.pop.name}.npy`, Buffer.from(npyTable(nT, [
      { name: 't_ms', data: times },
      { name: 'neuron', data: Int32Array.from(nCol), shape: [n] },
      ...r.vars.map((v, k) => ({ name: v, data: cols[k], shape: [n] })),
    ])));
  }
  for (const w of net.weights) {
    const p = w.projection;
    const pre = p.synapsePre();
    const n = p.count;
    const times = w.record.all(0) as Float64Array;
    const values = w.record.all(1) as Float64Array;
    const rows = times.length * n;
    const tCol = new Float64Array(rows);
    const preCol = new Int32Array(rows);
    const postCol = new Int32Array(rows);
    for (let k = 0; k < times.length; k++) {
      tCol.fill(times[k], k * n, (k + 1) * n);
      preCol.set(pre, k * n);
      postCol.set(p.post, k * n);
    }
    out.set(`weights/${p.name}.series.csv`, Buffer.from(tableCsv(['t_ms', 'pre', 'post', 'weight_mv'], [tCol, preCol, postCol, values])));
    out.set(`weights/${p.name}.series.npy`, Buffer.from(npyTable(times.length, [{ name: 't_ms', data: times }, { name: 'weight_mv', data: values, shape: [n] }])));
  }
  return out;
}

/** The state and weight-series files a run gives: streamed (spilled) or among its files (in memory). */
function seriesFiles(run: NetworkRun): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const wanted = (path: string) => path.startsWith('state/') || path.endsWith('.series.csv') || path.endsWith('.series.npy');
  for (const f of run.result.files) if (wanted(f.path)) out.set(f.path, Buffer.from(f.data));
  for (const s of run.result.streamed ?? []) {
    if (!wanted(s.path)) continue;
    const pieces: Buffer[] = [];
    s.write((p) => pieces.push(Buffer.from(p)));
    out.set(s.path, Buffer.concat(pieces));
  }
  return out;
}

/** Runs with state and weight recorders spilling every `chunk` samples; returns the run and the most samples any held. */
function spilled(sc: Scenario, chunk: number): { run: NetworkRun; peak: number } {
  let peak = 0;
  const state = StateRecorder.prototype.handleEvent;
  vi.spyOn(StateRecorder.prototype, 'handleEvent').mockImplementation(function (this: StateRecorder, t: number) {
    state.call(this, t);
    peak = Math.max(peak, this.record.capacity, this.record.n);
  });
  const weights = WeightRecorder.prototype.handleEvent;
  vi.spyOn(WeightRecorder.prototype, 'handleEvent').mockImplementation(function (this: WeightRecorder, t: number) {
    weights.call(this, t);
    peak = Math.max(peak, this.record.capacity, this.record.n);
  });
  const run = simulateNetwork(sc, { workers: 1, spill: { dir: join(dir, `${sc.name}-${chunk}`), chunk: 2 ** 20, samples: chunk } });
  vi.restoreAllMocks();
  return { run, peak };
}

describe('state and weight recorders that spill', () => {
  const plain = simulateNetwork(fixture(), { workers: 1 });
  const ref = reference(plain);

  it('in memory (no spilling) the files are the whole-table writers\' bytes', () => {
    expect([...ref.keys()].sort()).toEqual(['state/exc.csv', 'state/exc.npy', 'state/inh.csv', 'state/inh.npy', 'weights/ie.series.csv', 'weights/ie.series.npy', 'weights/in_exc.series.csv', 'weights/in_exc.series.npy']);
    const got = seriesFiles(plain);
    for (const [path, data] of ref) expect(got.get(path)!.equals(data), path).toBe(true);
    expect(plain.net.state[0].count).toBe(1500);
  });

  it.each([1, 3, 777])('with a chunk of %i samples: the same bytes; at most a chunk in memory, the rest in the spill files', (chunk) => {
    const { run, peak } = spilled(fixture(), chunk);
    const got = seriesFiles(run);
    expect([...got.keys()].sort()).toEqual([...ref.keys()].sort());
    for (const [path, data] of ref) expect(got.get(path)!.equals(data), path).toBe(true);
    // The sizes the free-space check counts: a streamed NPY's exactly, a streamed CSV's at most.
    for (const f of run.result.streamed!) {
      if (f.path.endsWith('.npy')) expect(f.size, f.path).toBe(got.get(f.path)!.length);
      else if (got.has(f.path)) expect(f.size, f.path).toBeLessThanOrEqual(got.get(f.path)!.length);
    }
    expect(peak).toBeLessThanOrEqual(chunk);
    const base = join(dir, `${run.net.scenario.name}-${chunk}`);
    const exc = run.net.state[0];
    expect(exc.record.spilled).toBeGreaterThan(exc.count - chunk - 1);
    expect(exc.record.spilled).toBeGreaterThan(0);
    expect(statSync(join(base, 'state', '0.t_ms.f64')).size).toBe(exc.record.spilled * 8);
    expect(statSync(join(base, 'state', '0.values.f64')).size).toBe(exc.record.spilled * 6 * 8);
    const w = run.net.weights[0];
    if (chunk < w.count) expect(statSync(join(base, 'weights', '0.values.f64')).size).toBe(w.record.spilled * w.projection.count * 8);
    // What the recorders hold in typed arrays: a chunk each, or less for one that records fewer samples than a
    // chunk (its buffers doubled up to them from 3 KiB).
    for (const r of [...run.net.state, ...run.net.weights]) {
      expect(typedArrayBytes([r.record])).toBeLessThanOrEqual(Math.max(3072, Math.min(chunk, 2 * r.count) * r.record.recordBytes));
    }
  });

  it('the values read back (NPY and CSV, by readers of their own) are the unchunked traces; a static projection\'s snapshots are its weights', () => {
    const { run } = spilled(fixture(), 3);
    const files = seriesFiles(run);
    const r = plain.net.state[0];
    const npy = parseNpy(files.get('state/exc.npy')!);
    expect(npy.shape).toEqual([1500]);
    expect(npy.columns.get('t_ms')).toEqual(Array.from({ length: 1500 }, (_, k) => k));
    const lines = files.get('state/exc.csv')!.toString().trimEnd().split('\n');
    expect(lines[0]).toBe('t_ms,neuron,v_mv,i_exc_mv');
    r.vars.forEach((v, j) => {
      const col = npy.columns.get(v)!;
      r.neurons.forEach((neuron, a) => {
        const trace = r.trace(a, j);
        for (let k = 0; k < 1500; k++) {
          expect(col[k * 3 + a]).toBe(trace[k]);
          expect(Number(lines[1 + k * 3 + a].split(',')[2 + j])).toBe(trace[k]);
          if (j === 0) expect(lines[1 + k * 3 + a].split(',').slice(0, 2).map(Number)).toEqual([k, neuron]);
        }
      });
    });
    const ie = parseNpy(files.get('weights/ie.series.npy')!);
    expect(ie.columns.get('weight_mv')).toEqual(new Array(30 * run.net.projections.get('ie')!.count).fill(-3));
    expect(ie.columns.get('t_ms')).toEqual(Array.from({ length: 30 }, (_, k) => 50 * k));
  });

  it('built-in scenarios that record state (single-neuron, cuba shortened to 500 ms): the same files, spikes too, with chunks of 1, 3 and 777', () => {
    for (const sc of [loadScenario('single-neuron'), loadScenario('cuba', { set: ['duration_ms=500'] })]) {
      const inMemory = simulateNetwork(sc, { workers: 1 });
      const want = reference(inMemory);
      const all = (run: NetworkRun) => {
        const out = seriesFiles(run);
        for (const f of run.result.files) out.set(f.path, Buffer.from(f.data));
        for (const s of run.result.streamed ?? []) {
          const pieces: Buffer[] = [];
          s.write((p) => pieces.push(Buffer.from(p)));
          out.set(s.path, Buffer.concat(pieces));
        }
        return out;
      };
      const whole = all(inMemory);
      for (const [path, data] of want) expect(whole.get(path)!.equals(data), `${sc.name} ${path}`).toBe(true);
      for (const chunk of [1, 3, 777]) {
        const { run, peak } = spilled(sc, chunk);
        expect(run.net.state[0].record.spilled, `${sc.name} ${chunk}`).toBeGreaterThan(0);
        expect(peak).toBeLessThanOrEqual(chunk);
        const got = all(run);
        expect([...got.keys()].sort()).toEqual([...whole.keys()].sort());
        for (const [path, data] of whole) expect(got.get(path)!.equals(data), `${sc.name} chunk ${chunk}: ${path}`).toBe(true);
        expect(run.result.metrics).toEqual(inMemory.result.metrics);
      }
    }
  }, 120_000);
});
