/**
 * Spike recorders in bounded memory (src/recording/spikes.ts): a recorder that spills holds at most one chunk of
 * spikes and appends the rest to disk; the spike CSV and the SONATA spikes.h5 are written by streaming over the
 * chunks. A stand-in records many times its chunk, with simultaneous spikes in neuron order reversed, some of them
 * across chunk boundaries and one run longer than a chunk; its files must be byte for byte what an in-memory
 * reference gives, computed here independently (the spikes sorted by this test, the CSV joined as one string, the
 * HDF5 datasets written whole). Its buffers never exceed the chunk. A checkpoint cuts the spill files back to its
 * count.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpikeRecorder, type SpikeTrains } from '../../src/recording/spikes.js';
import { SpikeEmitter } from '../../src/neurons/emitter.js';
import { writeSpikesCsv } from '../../src/scenario/csv.js';
import { writeSonataSpikes, readSonataSpikes } from '../../src/formats/sonata.js';
import { writeH5 } from '../../src/formats/h5.js';
import { typedArrayBytes } from '../../src/scenario/memory.js';
import { spikeStats, SpikeStatsAccumulator } from '../../src/analysis/spike-stats.js';
import { readBack, StateWriter } from '../../src/kernel/state-io.js';
import { createRng } from '../../src/kernel/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'chronoprop-spill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An emitter whose spikes the test makes. */
class Stand extends SpikeEmitter {
  start(): void {}
  saveState(): void {}
  loadState(): void {}
  fire(i: number, t: number): void {
    this.emit(i, t);
  }
}

const SIZE = 50;
const CHUNK = 64;

/**
 * Spikes in time order as a simulation emits them: mostly distinct times, with runs of simultaneous spikes whose
 * neurons come in descending or shuffled order, short ones and one of 3 x CHUNK + 5 spikes; several thousand in all.
 */
function events(seed: number): [number, number][] {
  const rng = createRng(seed, 'test/spike-spill');
  const out: [number, number][] = [];
  let t = 0;
  while (out.length < 40 * CHUNK) {
    t += rng.exponential(0.2);
    const u = rng.uniform();
    if (u < 0.15) {
      const n = 2 + rng.int(SIZE - 2); // distinct neurons firing together, listed high to low
      const ns = Array.from({ length: SIZE }, (_, i) => i).sort(() => rng.uniform() - 0.5).slice(0, n).sort((a, b) => b - a);
      for (const i of ns) out.push([i, t]);
    } else out.push([rng.int(SIZE), t]);
    if (out.length > 20 * CHUNK && out.length < 21 * CHUNK) {
      t += 1;
      for (let k = 0; k < 3 * CHUNK + 5; k++) out.push([SIZE - 1 - (k % SIZE), t]); // longer than a chunk
    }
  }
  return out;
}

/** The reference: the spikes sorted by time, then neuron (a stable sort of what was emitted). */
function reference(ev: [number, number][]): SpikeTrains {
  const s = ev.map((e, k) => ({ i: e[0], t: e[1], k })).sort((a, b) => a.t - b.t || a.i - b.i || a.k - b.k);
  return { neuron: Int32Array.from(s.map((e) => e.i)), t: Float64Array.from(s.map((e) => e.t)) };
}

/** The reference CSV, joined as one string. */
const referenceCsv = (tr: SpikeTrains) => ['neuron,t_ms', ...Array.from(tr.t, (t, k) => `${tr.neuron[k]},${t}`)].join('\n') + '\n';

/** The reference spikes.h5: each dataset written whole (the writer as it was before streaming). */
async function referenceH5(path: string, pops: Map<string, SpikeTrains>): Promise<void> {
  await writeH5(path, (f) => {
    f.create_attribute('magic', 0x0a7a, null, '<I');
    f.create_attribute('version', new Uint32Array([0, 1]), [2], '<I');
    f.create_group('spikes');
    for (const [name, tr] of pops) {
      const g = f.create_group(`spikes/${name}`);
      g.create_attribute('sorting', 'by_time');
      const n = tr.t.length;
      g.create_dataset({ name: 'node_ids', data: BigUint64Array.from(tr.neuron, (x) => BigInt(x)), shape: [n], dtype: '<Q' });
      g.create_dataset({ name: 'timestamps', data: tr.t, shape: [n], dtype: '<d' }).create_attribute('units', 'ms');
    }
  });
}

function record(name: string, ev: [number, number][], chunk = CHUNK): { rec: SpikeRecorder; peak: number } {
  const src = new Stand(name, SIZE);
  const rec = new SpikeRecorder(src);
  rec.spillTo(join(dir, name), chunk);
  let peak = rec.capacity;
  for (const [i, t] of ev) {
    src.fire(i, t);
    peak = Math.max(peak, rec.capacity);
  }
  rec.close();
  return { rec, peak };
}

describe('a spike recorder that spills', () => {
  const ev = events(1);
  const ref = reference(ev);
  const { rec, peak } = record('a', ev);

  it('holds at most one chunk in memory, the rest on disk', () => {
    expect(ev.length).toBeGreaterThan(40 * CHUNK);
    expect(peak).toBeLessThanOrEqual(CHUNK);
    expect(typedArrayBytes([rec])).toBeLessThanOrEqual(CHUNK * 12);
    expect(rec.count).toBe(ev.length);
    expect(rec.spilledCount).toBeGreaterThan(ev.length - CHUNK);
    expect(statSync(join(dir, 'a.ids.i32')).size).toBe(rec.spilledCount * 4);
    expect(statSync(join(dir, 'a.t_ms.f64')).size).toBe(rec.spilledCount * 8);
  });

  it('streams the spikes sorted by time, then neuron, in slices of at most a chunk (longer only for a longer run of ties)', () => {
    const neuron: number[] = [];
    const t: number[] = [];
    const lengths: number[] = [];
    for (const s of rec.slices()) {
      lengths.push(s.t.length);
      neuron.push(...s.neuron);
      t.push(...s.t);
    }
    expect(Int32Array.from(neuron)).toEqual(ref.neuron);
    expect(Float64Array.from(t)).toEqual(ref.t);
    const long = lengths.filter((n) => n > CHUNK); // only the slice with the long run: it and what follows it up to 4 chunks
    expect(long.length).toBe(1);
    expect(long[0]).toBeGreaterThanOrEqual(3 * CHUNK + 5);
    expect(long[0]).toBeLessThanOrEqual(4 * CHUNK);
    expect(lengths.length).toBeGreaterThan(30);
    expect(rec.sorted()).toEqual(ref);
  });

  it('writes the CSV byte for byte as the in-memory reference', () => {
    const pieces: string[] = [];
    writeSpikesCsv(rec.slices(), (p) => pieces.push(p));
    expect(pieces.join('')).toBe(referenceCsv(ref));
  });

  it('writes spikes.h5 byte for byte as the reference that writes each dataset whole', async () => {
    const ev2 = events(2).filter((_, k) => k % 3 === 0);
    const b = record('b', ev2).rec;
    const empty = record('empty', []).rec;
    const file = join(dir, 'streamed.h5');
    const refFile = join(dir, 'reference.h5');
    await writeSonataSpikes(file, new Map([['a', rec], ['b', b], ['empty', empty]]));
    await referenceH5(refFile, new Map([['a', ref], ['b', reference(ev2)], ['empty', reference([])]]));
    expect(readFileSync(file).equals(readFileSync(refFile))).toBe(true);
    const back = await readSonataSpikes(file);
    expect(back.get('a')!.neuron).toEqual(ref.neuron);
    expect(back.get('a')!.t).toEqual(ref.t);
    // Whole SpikeTrains go through the same writer: the same bytes again.
    await writeSonataSpikes(file, new Map([['a', ref], ['b', reference(ev2)], ['empty', reference([])]]));
    expect(readFileSync(file).equals(readFileSync(refFile))).toBe(true);
  });

  it('gives the same statistics streamed in slices as over the whole trains, to the bit', () => {
    const acc = new SpikeStatsAccumulator(SIZE, 0, ref.t[ref.t.length - 1] * 0.9, 1);
    for (const s of rec.slices()) acc.add(s);
    expect(acc.result()).toEqual(spikeStats(ref, SIZE, 0, ref.t[ref.t.length - 1] * 0.9, 1));
    const out = new SpikeStatsAccumulator(SIZE, 0, 1000, 1);
    expect(() => out.add({ neuron: Int32Array.of(0, 0), t: Float64Array.of(5, 2) })).toThrow(/time order/);
  });
});

describe('a checkpoint of a spilling recorder', () => {
  it('counts the spikes on disk and the tail in memory; loading it cuts the files back to the count', () => {
    const ev = events(3);
    const cut = 17 * CHUNK + 9;
    const src = new Stand('c', SIZE);
    const rec = new SpikeRecorder(src);
    rec.spillTo(join(dir, 'c'), CHUNK);
    for (const [i, t] of ev.slice(0, cut)) src.fire(i, t);
    const w = new StateWriter();
    rec.saveState(w);
    const saved = readBack(w);
    expect(saved.num('spilled') + saved.array('ids').length).toBe(cut);
    // The run goes on (and is killed): more chunks are appended after the checkpoint.
    for (const [i, t] of ev.slice(cut, cut + 5 * CHUNK)) src.fire(i, t);
    rec.close();
    expect(statSync(join(dir, 'c.ids.i32')).size).toBeGreaterThan(saved.num('spilled') * 4);
    // Resumed: a recorder built afresh loads the checkpoint; the files are cut back, the run continues to the end.
    const src2 = new Stand('c', SIZE);
    const again = new SpikeRecorder(src2);
    again.spillTo(join(dir, 'c'), CHUNK);
    again.loadState(saved);
    expect(statSync(join(dir, 'c.ids.i32')).size).toBe(saved.num('spilled') * 4);
    expect(statSync(join(dir, 'c.t_ms.f64')).size).toBe(saved.num('spilled') * 8);
    for (const [i, t] of ev.slice(cut)) src2.fire(i, t);
    again.close();
    const pieces: string[] = [];
    writeSpikesCsv(again.slices(), (p) => pieces.push(p));
    expect(pieces.join('')).toBe(referenceCsv(reference(ev)));
  });

  it('refuses one that counts more spikes than the files hold, or spilled spikes without spilling', () => {
    const src = new Stand('d', SIZE);
    const rec = new SpikeRecorder(src);
    rec.spillTo(join(dir, 'd'), 4);
    for (let k = 0; k < 30; k++) src.fire(k % SIZE, k);
    const w = new StateWriter();
    rec.saveState(w);
    rec.close();
    writeFileSync(join(dir, 'd.t_ms.f64'), Buffer.alloc(8 * 3));
    const fresh = new SpikeRecorder(new Stand('d', SIZE));
    fresh.spillTo(join(dir, 'd'), 4);
    expect(() => fresh.loadState(readBack(w))).toThrow(/counts 28 spikes written to .*d\.t_ms\.f64, which holds 3/);
    expect(() => new SpikeRecorder(new Stand('d', SIZE)).loadState(readBack(w))).toThrow(/keeps its spikes in memory/);
  });
});
