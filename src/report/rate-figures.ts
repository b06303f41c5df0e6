/**
 * Figures of a rate-mode run (the rate-coded twin, scenario/run-rate.ts), which has rates instead of spikes:
 *
 * - rate: each population's mean rate over time as recorded (rates/<population>.csv), at most MAX_RATE_POINTS
 *   points per population (bucket minima and maxima kept, aggregate.ts), the same name as a spiking run's
 *   population rate so that the two reports line up.
 * - rate-final: the distribution over neurons of each population's final rate (rates/<population>.final.csv), in
 *   about 40 bins of a round width, as fractions of each population so that populations of different sizes compare.
 */
import type { RateTables } from './read-run.js';
import { decimate, histogram, niceStep, round } from './aggregate.js';
import { baseSpec, colorScale, WIDTH, type Figure } from './vl.js';

export const MAX_RATE_POINTS = 2000;

export function rateSeriesFigure(rates: RateTables[], durationMs: number): Figure | null {
  const withSeries = rates.filter((r) => r.series && r.series.rows > 0);
  if (withSeries.length === 0) return null;
  const values: { t_ms: number; rate_hz: number; population: string }[] = [];
  let samples = 0;
  let thinned = false;
  for (const r of withSeries) {
    const t = r.series!.col('t_ms');
    const v = r.series!.col('rate_hz');
    samples = Math.max(samples, t.length);
    const keep = decimate(v, MAX_RATE_POINTS);
    if (keep.length < t.length) thinned = true;
    for (const k of keep) values.push({ t_ms: round(t[k], 7), rate_hz: round(v[k], 6), population: r.population });
  }
  const caption =
    `Mean rate of each population in the rate-coded twin, as recorded (${samples.toLocaleString('en-US')} samples)` +
    (thinned ? `, thinned to about ${MAX_RATE_POINTS} points per population (bucket minima and maxima kept).` : '.');
  const pops = withSeries.map((r) => r.population);
  const spec = {
    ...baseSpec('Population rate (rate-coded twin)', caption, values),
    width: WIDTH,
    height: 220,
    mark: { type: 'line', strokeWidth: 1.3 },
    encoding: {
      x: { field: 't_ms', type: 'quantitative', title: 'time (ms)', scale: { domain: [0, durationMs] } },
      y: { field: 'rate_hz', type: 'quantitative', title: 'rate (Hz)' },
      color: { field: 'population', type: 'nominal', title: 'population', scale: colorScale(pops) },
    },
  };
  return { name: 'rate', spec };
}

export function finalRateFigure(rates: RateTables[]): Figure | null {
  const withFinal = rates.filter((r) => r.final && r.final.rows > 0);
  if (withFinal.length === 0) return null;
  let hi = 0;
  for (const r of withFinal) for (const x of r.final!.col('rate_hz')) if (x > hi) hi = x;
  const width = niceStep((hi > 0 ? hi : 1) / 40);
  const bins = Math.floor(hi / width) + 1;
  const values: { r0: number; r1: number; fraction: number; population: string }[] = [];
  let n = 0;
  for (const r of withFinal) {
    const v = r.final!.col('rate_hz');
    n += v.length;
    const h = histogram(v, 0, width, bins);
    for (let b = 0; b < bins; b++) if (h.counts[b] > 0) values.push({ r0: round(b * width, 6), r1: round((b + 1) * width, 6), fraction: h.counts[b] / v.length, population: r.population });
  }
  const pops = withFinal.map((r) => r.population);
  const caption = `Rate of each of the ${n.toLocaleString('en-US')} neurons at the end of the run, in ${width} Hz bins, as a fraction of each population's neurons (translucent bars: where populations overlap, both show).`;
  const spec = {
    ...baseSpec('Final rates (rate-coded twin)', caption, values),
    width: WIDTH,
    height: 200,
    mark: { type: 'rect', opacity: 0.6 },
    encoding: {
      x: { field: 'r0', type: 'quantitative', title: 'rate at the end (Hz)' },
      x2: { field: 'r1' },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction of the population', stack: null },
      y2: { datum: 0 },
      color: { field: 'population', type: 'nominal', title: 'population', scale: colorScale(pops) },
    },
  };
  return { name: 'rate-final', spec };
}
