import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport } from '../../src/report/build-report.js';
import { ResultsFolderError } from '../../src/report/read-run.js';
import { markCount, writeFolder, type FolderSpec } from './fixture.js';

const root = mkdtempSync(join(tmpdir(), 'chronoprop-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Population a (3 neurons): neuron 0 fires every 10 ms from 5 ms (a clock: CV 0), neuron 1 at 20, 50, 60 ms.
// Population b (2 neurons): neuron 1 at 33.3 ms.
const clock: [number, number][] = Array.from({ length: 10 }, (_, k) => [0, 5 + 10 * k]);
const spikesA = [...clock, [1, 20], [1, 50], [1, 60]].sort((x, y) => x[1] - y[1] || x[0] - y[0]) as [number, number][];
const spec: FolderSpec = {
  durationMs: 100,
  pops: { a: { size: 3, spikes: spikesA }, b: { size: 2, spikes: [[1, 33.3]] } },
  state: { population: 'a', neurons: [0, 2], times: Array.from({ length: 50 }, (_, k) => 2 * k), v: (n, t) => -70 + n + Math.sin(t / 5) },
  weights: {
    projection: 'ab',
    pre: Array.from({ length: 100 }, (_, k) => k % 3),
    post: Array.from({ length: 100 }, (_, k) => k % 2),
    snapshots: [
      { t: 0, w: Array.from({ length: 100 }, (_, k) => k + 1) },
      { t: 50, w: Array.from({ length: 100 }, (_, k) => 2 * (k + 1)) },
    ],
  },
};
const total = 14;

describe('a full folder', () => {
  const dir = join(root, 'full');
  let html = '';
  beforeAll(async () => {
    writeFolder(dir, spec);
    // An experiment's own figure, as the runner writes it: the report draws it after the standard ones.
    mkdirSync(join(dir, 'figures'));
    writeFileSync(
      join(dir, 'figures', 'custom.vl.json'),
      JSON.stringify({ title: 'Custom', description: 'An experiment figure.', data: { values: [{ x: 1, y: 2 }, { x: 2, y: 3 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } }),
    );
    const r = await buildReport(dir, { spikeCap: 1000 });
    expect(r.figures).toEqual(['raster', 'rate', 'isi', 'cv', 'trace-a', 'weights-hist-ab', 'weights-evolution-ab', 'custom']);
    html = readFileSync(join(dir, 'report.html'), 'utf8');
  }, 30_000);

  test('every figure is saved as SVG and as a Vega-Lite spec with its data, and inlined in the page', () => {
    for (const name of ['raster', 'rate', 'isi', 'cv', 'trace-a', 'weights-hist-ab', 'weights-evolution-ab', 'custom']) {
      expect(existsSync(join(dir, 'figures', `${name}.svg`))).toBe(true);
      const vl = JSON.parse(readFileSync(join(dir, 'figures', `${name}.vl.json`), 'utf8'));
      expect(Array.isArray(vl.data.values)).toBe(true);
      expect(html).toContain(`id="fig-${name}"`);
    }
    expect(html.match(/<svg /g)).toHaveLength(8);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // offline: no scripts, no links out
  });

  test('the page shows the run summary and escapes text from run.json', () => {
    expect(html).toContain('<h1>fixture</h1>');
    expect(html).toContain('A &lt;hand-made&gt; folder.');
    expect(html).toContain('<th>custom.score</th><td>0.5</td>');
    expect(html).toContain('<th>custom.list</th><td>1, 2, 3</td>');
  });

  test('the raster has one tick per spike', () => {
    expect(markCount(readFileSync(join(dir, 'figures', 'raster.svg'), 'utf8'))).toBe(total);
  });

  test('rate figure conserves spikes: sum of rate * neurons * bin = spike count', () => {
    const vl = JSON.parse(readFileSync(join(dir, 'figures', 'rate.vl.json'), 'utf8'));
    const binMs = vl.data.values[1].t_ms - vl.data.values[0].t_ms;
    const sum = (pop: string, size: number) =>
      vl.data.values.filter((v: any) => v.population === pop).reduce((a: number, v: any) => a + v.rate_hz * size * binMs * 1e-3, 0);
    expect(sum('a', 3)).toBeCloseTo(13, 9);
    expect(sum('b', 2)).toBeCloseTo(1, 9);
  });

  test('ISI and CV distributions match the hand count', () => {
    // ISIs of a: nine of 10 ms (the clock), then 30 and 10 ms (neuron 1); b has none. The axis ends at the 99th
    // percentile of the 11 ISIs, 10 + 0.9 * (30 - 10) = 28 ms, so the 30 ms interval is left out and said so.
    const spec = JSON.parse(readFileSync(join(dir, 'figures', 'isi.vl.json'), 'utf8'));
    const isi = spec.data.values;
    const width = isi[1].x - isi[0].x;
    const a = isi.filter((v: any) => v.population === 'a');
    expect(a.reduce((s: number, v: any) => s + v.y * width, 0)).toBeCloseTo(10 / 11, 12);
    const at = (x: number) => a.find((v: any) => v.x - width / 2 <= x && x < v.x + width / 2).y * width * 11;
    expect(at(10)).toBeCloseTo(10, 9);
    expect(spec.description).toContain('1 interval longer than 28.5 ms is not shown');
    // CV: neuron 0 (a clock) 0; neuron 1 (ISIs 30, 10): std 10 / mean 20 = 0.5.
    const cv = JSON.parse(readFileSync(join(dir, 'figures', 'cv.vl.json'), 'utf8')).data.values.filter((v: any) => v.y > 0);
    expect(cv.map((v: any) => [Math.floor(v.x / 0.05 + 1e-9) * 0.05, v.y])).toEqual([[0, 0.5], [0.5, 0.5]]);
  });

  test('weight evolution shows numpy-style quantiles of each snapshot', () => {
    // Snapshot at 0 ms: weights 1..100. Linear quantile q of n sorted values: x[h] with h = (n - 1) q.
    const v = JSON.parse(readFileSync(join(dir, 'figures', 'weights-evolution-ab.vl.json'), 'utf8')).data.values;
    expect(v[0]).toEqual({ t_ms: 0, mean: 50.5, q05: 5.95, q25: 25.75, median: 50.5, q75: 75.25, q95: 95.05 });
    expect(v[1]).toEqual({ t_ms: 50, mean: 101, q05: 11.9, q25: 51.5, median: 101, q75: 150.5, q95: 190.1 });
  });

  test('weight histogram counts every synapse at the first and the last snapshot', () => {
    const v = JSON.parse(readFileSync(join(dir, 'figures', 'weights-hist-ab.vl.json'), 'utf8')).data.values;
    const count = (prefix: string) => v.filter((r: any) => r.when.startsWith(prefix)).reduce((a: number, r: any) => a + r.synapses, 0);
    expect(count('initial')).toBe(100);
    expect(count('final')).toBe(100);
  });

  test('a rebuild gives the same page, byte for byte', async () => {
    await buildReport(dir, { spikeCap: 1000 });
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(html);
  }, 30_000);
});

describe('above the spike cap', () => {
  test('the raster shows density, and the cells still account for every spike', async () => {
    const dir = join(root, 'dense');
    writeFolder(dir, spec);
    await buildReport(dir, { spikeCap: 10 });
    const vl = JSON.parse(readFileSync(join(dir, 'figures', 'raster.vl.json'), 'utf8'));
    expect(vl.title).toBe('Spike raster (density)');
    const cells = vl.data.values as { t0: number; t1: number; n0: number; n1: number; rate_hz: number }[];
    const spikes = cells.reduce((a, c) => a + c.rate_hz * (c.n1 - c.n0) * (c.t1 - c.t0) * 1e-3, 0);
    expect(spikes).toBeCloseTo(total, 6);
    expect(markCount(readFileSync(join(dir, 'figures', 'raster.svg'), 'utf8'))).toBe(cells.length);
  }, 30_000);
});

describe('folders that are old, sparse or not folders', () => {
  test('an old folder with run.json and spike CSVs only', async () => {
    const dir = join(root, 'old');
    writeFolder(dir, { durationMs: 100, pops: { a: { size: 3, spikes: spikesA } }, old: true });
    const r = await buildReport(dir);
    expect(r.figures).toEqual(['raster', 'rate', 'isi', 'cv']);
  }, 30_000);

  test('a run that recorded nothing still gets a page', async () => {
    const dir = join(root, 'empty');
    writeFolder(dir, { durationMs: 10, pops: {} });
    const r = await buildReport(dir);
    expect(r.figures).toEqual([]);
    expect(readFileSync(r.path, 'utf8')).toContain('Nothing was recorded that can be drawn.');
  });

  test('a broken experiment figure is named on the page, the rest still drawn', async () => {
    const dir = join(root, 'broken');
    writeFolder(dir, { durationMs: 100, pops: { a: { size: 3, spikes: spikesA } } });
    mkdirSync(join(dir, 'figures'));
    writeFileSync(join(dir, 'figures', 'bad.vl.json'), '{ not json');
    const r = await buildReport(dir);
    expect(r.figures).toContain('raster');
    expect(readFileSync(r.path, 'utf8')).toContain('figures/bad.vl.json could not be read');
  }, 30_000);

  test('an experiment\'s figures keep its order (usermeta.order), its settings follow the figures, collapsed', async () => {
    const dir = join(root, 'experiment');
    writeFolder(dir, { durationMs: 100, pops: {} });
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    run.metrics.settings = { trials: 7, rule: { tau_ms: 20 } };
    writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
    mkdirSync(join(dir, 'figures'));
    const fig = (title: string, order?: number) =>
      JSON.stringify({ title, ...(order === undefined ? {} : { usermeta: { order } }), data: { values: [{ x: 1, y: 2 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } });
    writeFileSync(join(dir, 'figures', 'a_second.vl.json'), fig('Second', 1));
    writeFileSync(join(dir, 'figures', 'b_first.vl.json'), fig('First', 0));
    writeFileSync(join(dir, 'figures', 'c_unordered.vl.json'), fig('Unordered'));
    const r = await buildReport(dir);
    expect(r.figures).toEqual(['b_first', 'a_second', 'c_unordered']);
    const html = readFileSync(r.path, 'utf8');
    const settings = html.indexOf('<details class="settings">');
    expect(settings).toBeGreaterThan(html.lastIndexOf('<figure'));
    expect(html.slice(settings)).toContain('<th>trials</th><td>7</td>');
    expect(html.slice(settings)).toContain('<th>rule.tau_ms</th><td>20</td>');
    expect(html.slice(0, settings)).not.toContain('settings.trials');
  }, 30_000);

  test('a rate-mode run: its rates drawn, no spiking-only fields, no files it did not write', async () => {
    const dir = join(root, 'rate');
    writeFolder(dir, { durationMs: 10, pops: {} });
    rmSync(join(dir, 'spikes'), { recursive: true });
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    run.scenario.mode = 'rate';
    run.scenario.populations = [{ name: 'e', model: 'lif', size: 3 }];
    run.metrics = { mode: 'rate', populations: { e: { neurons: 3, rate_hz: 4.5, final_rate_hz: 5 } } };
    writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
    mkdirSync(join(dir, 'rates'));
    writeFileSync(join(dir, 'rates', 'e.csv'), 't_ms,rate_hz\n0,1\n5,4\n10,5\n');
    writeFileSync(join(dir, 'rates', 'e.final.csv'), 'neuron,rate_hz\n0,4\n1,5\n2,6\n');
    const r = await buildReport(dir);
    expect(r.figures).toEqual(['rate', 'rate-final']);
    const html = readFileSync(r.path, 'utf8');
    expect(html).not.toMatch(/<th>(spikes|synaptic events|CV of ISI)<\/th>/);
    expect(html).toContain('<th>rate at the end (Hz)</th>');
    expect(html).not.toMatch(/\.npy|SONATA|spikes\.h5|h5py/);
    const final = JSON.parse(readFileSync(join(dir, 'figures', 'rate-final.vl.json'), 'utf8')).data.values;
    expect(final.reduce((a: number, v: { fraction: number }) => a + v.fraction, 0)).toBeCloseTo(1, 12);
  }, 30_000);

  test('a folder without run.json is bad input, with one line saying so', async () => {
    await expect(buildReport(join(root, 'nowhere'))).rejects.toThrow(ResultsFolderError);
    await expect(buildReport(join(root, 'nowhere'))).rejects.toThrow(/has no run.json: not a chronoprop results folder/);
  });
});
