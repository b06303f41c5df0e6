import { describe, expect, test } from 'vitest';
import { parseNumericCsv } from '../../src/formats/csv-read.js';
import { tableCsv } from '../../src/scenario/csv.js';
import { weightEvolutionFigure, MAX_SNAPSHOTS } from '../../src/report/weight-figures.js';
import { rasterFigure } from '../../src/report/raster.js';
import { MAX_TRACE_POINTS, TRACE_WINDOW, traceFigure } from '../../src/report/state-figures.js';
import { quantityTitle } from '../../src/report/quantities.js';
import { stdpWindowFigure } from '../../src/experiments/figures.js';

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
  const zeros = new Float64Array(T * S);
  const series = parseNumericCsv(tableCsv(['t_ms', 'pre', 'post', 'weight_mv'], [t, zeros, zeros, w]));
  const fig = weightEvolutionFigure({ projection: 'p', final: null, series })!;
  const values = (fig.spec.data as { values: { t_ms: number; mean: number }[] }).values;
  expect(values.length).toBeLessThanOrEqual(MAX_SNAPSHOTS + 1);
  expect(values[values.length - 1]).toMatchObject({ t_ms: (T - 1) * 10, mean: T - 1 + 1 }); // mean of k, k+1, k+2
  expect(fig.spec.description).toContain(`${values.length} of ${T} snapshots shown`);
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
    return { population: 'exc', table: parseNumericCsv(tableCsv(['t_ms', 'neuron', 'v_mv'], [t, n, v])) };
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
});

test('the STDP window is not joined across s = 0 when the window is antisymmetric', () => {
  const points = [-4, -2, 0, 2, 4].map((s) => ({ scheme: 'nearest', s_ms: s, dw_mv: Math.sign(s + 0.5) * Math.exp(-Math.abs(s) / 20), theory_mv: Math.sign(s + 0.5) * Math.exp(-Math.abs(s) / 20) }));
  const sides = (fig: ReturnType<typeof stdpWindowFigure>) => (fig.spec as { data: { values: { s_ms: number; side: string }[] } }).data.values;
  const split = sides(stdpWindowFigure(points, 'antisymmetric'));
  expect(new Set(split.filter((v) => v.s_ms < 0).map((v) => v.side)).size).toBe(1);
  expect(new Set(split.map((v) => v.side)).size).toBe(2);
  expect(new Set(sides(stdpWindowFigure(points, 'symmetric')).map((v) => v.side)).size).toBe(1);
});
