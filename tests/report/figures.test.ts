import { expect, test } from 'vitest';
import { parseNumericCsv } from '../../src/formats/csv-read.js';
import { tableCsv } from '../../src/scenario/csv.js';
import { weightEvolutionFigure, MAX_SNAPSHOTS } from '../../src/report/weight-figures.js';
import { rasterFigure } from '../../src/report/raster.js';

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
