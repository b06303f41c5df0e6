import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableCsv } from '../../src/scenario/csv.js';
import { weightEvolutionFigure, weightHistogramFigure, MAX_SNAPSHOTS } from '../../src/report/weight-figures.js';
import { readWeightSeries } from '../../src/report/weight-series.js';
import { readStateTable } from '../../src/report/read-run.js';
import { rasterFigure } from '../../src/report/raster.js';
import { MAX_TRACE_NEURONS, MAX_TRACE_POINTS, TRACE_WINDOW, traceFigure } from '../../src/report/state-figures.js';
import { quantityTitle } from '../../src/report/quantities.js';
import { stdpWindowFigure } from '../../src/experiments/figures.js';

// The tables go through the report's own reading path: written as CSV files, read back as read-run.ts reads them.
const dir = mkdtempSync(join(tmpdir(), 'report-figures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const csvFile = (header: string[], cols: ArrayLike<number>[]) => {
  const p = join(dir, `t${files++}.csv`);
  writeFileSync(p, tableCsv(header, cols as Float64Array[]));
  return p;
};
const seriesFile = (t: ArrayLike<number>, w: ArrayLike<number>) => {
  const zeros = new Float64Array(t.length);
  return csvFile(['t_ms', 'pre', 'post', 'weight_mv'], [t, zeros, zeros, w]);
};

test('the raster draws ticks up to the cap and density one spike above it', () => {
  const n = 50;
  const pop = { name: 'p', model: 'lif', size: 5, spikes: { neuron: Int32Array.from({ length: n }, (_, k) => k % 5), t: Float64Array.from({ length: n }, (_, k) => k) } };
  const at = rasterFigure([pop], 100, n)!;
  expect(at.spec.title).toBe('Spike raster');
  expect((at.spec.data as { values: unknown[] }).values).toHaveLength(n);
  expect(rasterFigure([pop], 100, n - 1)!.spec.title).toBe('Spike raster (density)');
});

test('a long weight series is thinned to at most MAX_SNAPSHOTS + 1 snapshots, keeping the last', () => {
  const T = 1000;
  const S = 3;
  const t = new Float64Array(T * S);
  const w = new Float64Array(T * S);
  for (let k = 0; k < T; k++) for (let s = 0; s < S; s++) (t[k * S + s] = k * 10), (w[k * S + s] = k + s);
  const series = readWeightSeries(seriesFile(t, w), 'p.series.csv');
  const fig = weightEvolutionFigure({ projection: 'p', final: null, series })!;
  const values = (fig.spec.data as { values: { t_ms: number; mean: number }[] }).values;
  expect(values.length).toBeLessThanOrEqual(MAX_SNAPSHOTS + 1);
  expect(values[values.length - 1]).toMatchObject({ t_ms: (T - 1) * 10, mean: T - 1 + 1 }); // mean of k, k+1, k+2
  expect(fig.spec.description).toContain(`${values.length} of ${T} snapshots shown`);
  // step = ceil(1000 / 400) = 3: snapshots 0, 3, ..., 999 (the last is one of them).
  expect(values.map((v) => v.t_ms)).toEqual(Array.from({ length: 334 }, (_, j) => j * 30));
});

describe('the weight series summary equals a brute-force computation', () => {
  /** numpy's default (linear) quantile of values, computed from scratch. */
  const npQuantile = (values: number[], p: number) => {
    const v = [...values].sort((a, b) => a - b);
    const h = (v.length - 1) * p;
    const i = Math.floor(h);
    return i + 1 < v.length ? v[i] + (h - i) * (v[i + 1] - v[i]) : v[i];
  };
  /** Snapshots of a few synapses with weights in 1/64 mV steps (exact sums), from a small linear congruential generator. */
  const make = (count: number, synapses: number) => {
    let x = 12345;
    const next = () => ((x = (x * 1103515245 + 12345) % 2147483648), x);
    return Array.from({ length: count }, (_, k) => ({ t: 0.5 + k * 2.5, w: Array.from({ length: synapses }, () => (next() % 256) / 64 - 1) }));
  };
  const write = (snaps: { t: number; w: number[] }[]) => seriesFile(snaps.flatMap((s) => s.w.map(() => s.t)), snaps.flatMap((s) => s.w));
  const brute = (s: { t: number; w: number[] }) => ({
    t_ms: s.t,
    mean: s.w.reduce((a, b) => a + b, 0) / s.w.length,
    q05: npQuantile(s.w, 0.05),
    q25: npQuantile(s.w, 0.25),
    median: npQuantile(s.w, 0.5),
    q75: npQuantile(s.w, 0.75),
    q95: npQuantile(s.w, 0.95),
  });

  test('every snapshot, when there are at most the drawn maximum; in blocks of any size', () => {
    const snaps = make(6, 9);
    const p = write(snaps);
    for (const block of [7, 64, 1 << 20]) {
      const s = readWeightSeries(p, 'p.series.csv', 6, block)!;
      expect(s.snapshots).toBe(6);
      expect(s.step).toBe(1);
      expect(s.synapses).toBe(9);
      expect(s.first.t_ms).toBe(0.5);
      expect(Array.from(s.first.weights)).toEqual(snaps[0].w);
      expect(s.drawn).toEqual(snaps.map(brute));
    }
  });

  test('thinned: every step-th snapshot and the last, step = ceil(snapshots / maximum)', () => {
    const snaps = make(11, 7);
    const s = readWeightSeries(write(snaps), 'p.series.csv', 4, 7)!;
    // ceil(11 / 4) = 3: snapshots 0, 3, 6, 9 and the last, 10.
    expect(s.step).toBe(3);
    expect(s.snapshots).toBe(11);
    expect(s.drawn).toEqual([0, 3, 6, 9, 10].map((k) => brute(snaps[k])));
    expect(Array.from(s.first.weights)).toEqual(snaps[0].w);
  });

  test('the figures draw it rounded, with the first snapshot as the initial histogram', () => {
    const snaps = make(5, 40);
    const series = readWeightSeries(write(snaps), 'p.series.csv');
    const fig = weightEvolutionFigure({ projection: 'p', final: null, series })!;
    const r6 = (x: number) => Number(x.toPrecision(6));
    const want = snaps.map(brute).map((b) => ({ t_ms: b.t_ms, mean: r6(b.mean), q05: r6(b.q05), q25: r6(b.q25), median: r6(b.median), q75: r6(b.q75), q95: r6(b.q95) }));
    expect((fig.spec.data as { values: unknown[] }).values).toEqual(want);
    expect(fig.spec.description).toBe('Weights of the 40 synapses of p over time: quantile bands, median and mean over synapses at each snapshot (5 snapshots).');
    const hist = weightHistogramFigure({ projection: 'p', final: null, series })!;
    const bars = (hist.spec.data as { values: { synapses: number; when: string }[] }).values;
    expect(new Set(bars.map((b) => b.when))).toEqual(new Set(['initial (t = 0.5 ms)']));
    expect(bars.reduce((a, b) => a + b.synapses, 0)).toBe(40);
  });

  test('an empty series is no series', () => {
    expect(readWeightSeries(seriesFile([], []), 'p.series.csv')).toBeNull();
  });
});

test('axis titles in words with units, from column names', () => {
  expect(quantityTitle('v_mv')).toBe('membrane potential (mV)');
  expect(quantityTitle('i_exc_mv')).toBe('excitatory synaptic input (mV)');
  expect(quantityTitle('v_d_mv')).toBe('dendritic membrane potential (mV)');
  expect(quantityTitle('g_nmda_mv')).toBe('g nmda (mV)');
  expect(quantityTitle('rate_hz')).toBe('rate (Hz)');
  expect(quantityTitle('phase')).toBe('phase');
});

describe('state traces', () => {
  const table = (samples: number) => {
    const t = Float64Array.from({ length: samples * 2 }, (_, k) => Math.floor(k / 2) * 0.5);
    const n = Float64Array.from({ length: samples * 2 }, (_, k) => k % 2);
    const v = Float64Array.from({ length: samples * 2 }, (_, k) => -60 + (k % 7));
    return readStateTable(csvFile(['t_ms', 'neuron', 'v_mv'], [t, n, v]), 'exc');
  };

  test('are drawn whole, every sample, up to MAX_TRACE_POINTS samples per neuron, with the axis in words', () => {
    const fig = traceFigure(table(MAX_TRACE_POINTS))!;
    expect((fig.spec.data as { values: unknown[] }).values).toHaveLength(2 * MAX_TRACE_POINTS);
    expect(JSON.stringify(fig.spec.vconcat)).toContain('"title":"membrane potential (mV)"');
    expect(fig.spec.description).toContain('every sample (2,000 per neuron)');
  });

  test('longer ones are split into their first and last TRACE_WINDOW samples, and the caption says which times', () => {
    const samples = 5000;
    const fig = traceFigure(table(samples))!;
    const values = (fig.spec.data as { values: { t_ms: number; window: string }[] }).values;
    expect(values).toHaveLength(2 * 2 * TRACE_WINDOW);
    const times = [...new Set(values.map((v) => v.t_ms))].sort((a, b) => a - b);
    expect(times.slice(0, TRACE_WINDOW)).toEqual(Array.from({ length: TRACE_WINDOW }, (_, k) => k * 0.5));
    expect(times.slice(TRACE_WINDOW)).toEqual(Array.from({ length: TRACE_WINDOW }, (_, k) => (samples - TRACE_WINDOW + k) * 0.5));
    expect(fig.spec.description).toContain('t = 0-499.5 ms and 2,000-2,499.5 ms');
  });

  test('of many neurons, only the first MAX_TRACE_NEURONS met are kept, and the caption counts them all', () => {
    const neurons = Array.from({ length: 40 }, (_, k) => (k * 17) % 40); // a permutation: 0, 17, 34, 11, 28, 5, ...
    const samples = 30;
    const t: number[] = [];
    const n: number[] = [];
    const v: number[] = [];
    for (let s = 0; s < samples; s++) for (const k of neurons) t.push(s * 0.1), n.push(k), v.push(-70 + k + s / 100);
    const st = readStateTable(csvFile(['t_ms', 'neuron', 'v_mv'], [t, n, v]), 'exc');
    expect(st.neurons).toBe(40);
    expect(st.table.rows).toBe(MAX_TRACE_NEURONS * samples);
    expect(new Set(st.table.col('neuron'))).toEqual(new Set(neurons.slice(0, MAX_TRACE_NEURONS)));
    const fig = traceFigure(st)!;
    expect(fig.spec.description).toContain(`${MAX_TRACE_NEURONS} of the 40 recorded neurons`);
    const values = (fig.spec.data as { values: { neuron: string; value: number }[] }).values;
    expect(values).toHaveLength(MAX_TRACE_NEURONS * samples);
    expect([...new Set(values.map((x) => x.neuron))]).toEqual(['0', '17', '34', '11', '28']);
    expect(values.filter((x) => x.neuron === '34').map((x) => x.value)).toEqual(Array.from({ length: samples }, (_, s) => Number((-36 + s / 100).toPrecision(6))));
  });
});

test('the STDP window is not joined across s = 0 when the window is antisymmetric', () => {
  const points = [-4, -2, 0, 2, 4].map((s) => ({ scheme: 'nearest', s_ms: s, dw_mv: Math.sign(s + 0.5) * Math.exp(-Math.abs(s) / 20), theory_mv: Math.sign(s + 0.5) * Math.exp(-Math.abs(s) / 20) }));
  const sides = (fig: ReturnType<typeof stdpWindowFigure>) => (fig.spec as { data: { values: { s_ms: number; side: string }[] } }).data.values;
  const split = sides(stdpWindowFigure(points, 'antisymmetric'));
  expect(new Set(split.filter((v) => v.s_ms < 0).map((v) => v.side)).size).toBe(1);
  expect(new Set(split.map((v) => v.side)).size).toBe(2);
  expect(new Set(sides(stdpWindowFigure(points, 'symmetric')).map((v) => v.side)).size).toBe(1);
});
