/**
 * Scenario-specific figures (Vega-Lite specs with inline data) for the experiments: the STDP window against its
 * exact sum, the derivative-filter line with error bars over the exact expectation, the convergence of the spiking
 * estimate as trials grow, and the competitive-STDP weight histogram and output rate.
 */
import type { FigureSpec } from '../scenario/experiment.js';
import { baseSpec, WIDTH } from '../report/vl.js';

export function stdpWindowFigure(points: { scheme: string; s_ms: number; dw_mv: number; theory_mv: number }[]): FigureSpec {
  const values = points.map((p) => ({ scheme: p.scheme, s_ms: p.s_ms, measured: p.dw_mv, theory: p.theory_mv }));
  return {
    name: 'stdp_window',
    title: 'STDP window: measured total weight change (points) and the exact sum of W over all pairs (lines)',
    spec: {
      ...baseSpec('STDP window', 'measured weight change per pairing protocol vs the exact window sum', values),
      width: WIDTH, height: 300,
      layer: [
        { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: { field: 's_ms', type: 'quantitative', title: 's = t_post - t_pre (ms)' }, y: { field: 'theory', type: 'quantitative', title: 'total dw (mV)' }, color: { field: 'scheme', type: 'nominal' } } },
        { mark: { type: 'point', filled: true, size: 30 }, encoding: { x: { field: 's_ms', type: 'quantitative' }, y: { field: 'measured', type: 'quantitative' }, color: { field: 'scheme', type: 'nominal' } } },
      ],
    },
  };
}

export function derivativeFigure(points: { slope_hz_per_s: number; mean_dw?: number; sem_dw?: number; theory_dw: number }[], fit?: { slope: number; intercept: number }): FigureSpec {
  const values = points.map((p) => ({
    slope: p.slope_hz_per_s, theory: p.theory_dw, mean: p.mean_dw ?? null,
    lo: p.mean_dw !== undefined ? p.mean_dw - 1.96 * (p.sem_dw ?? 0) : null, hi: p.mean_dw !== undefined ? p.mean_dw + 1.96 * (p.sem_dw ?? 0) : null,
    fit: fit ? fit.intercept + fit.slope * p.slope_hz_per_s : null,
  }));
  const x = { field: 'slope', type: 'quantitative', title: 'slope of the postsynaptic rate (Hz/s)' };
  const layer: object[] = [{ mark: { type: 'line', color: '#888', strokeWidth: 2 }, encoding: { x, y: { field: 'theory', type: 'quantitative', title: 'mean weight change per trial (mV)' } } }];
  if (points[0]?.mean_dw !== undefined) {
    layer.push(
      { mark: { type: 'rule', color: '#4c78a8' }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      { mark: { type: 'point', filled: true, color: '#4c78a8', size: 50 }, encoding: { x, y: { field: 'mean', type: 'quantitative' } } },
      { mark: { type: 'line', color: '#e45756', strokeDash: [4, 3] }, encoding: { x, y: { field: 'fit', type: 'quantitative' } } },
    );
  }
  return {
    name: 'derivative_filter',
    title: 'Mean STDP weight change vs the rate of change of postsynaptic activity: spiking means with 95% intervals (blue), weighted fit (red, dashed), exact rate-coded expectation (grey)',
    spec: { ...baseSpec('STDP as a derivative filter', 'mean dw vs postsynaptic rate slope', values), width: WIDTH, height: 320, layer },
  };
}

/** |running mean - exact expectation| and the standard error as trials grow, with the 1/sqrt(n) law through the last SE. */
export function convergenceFigure(slope: number, dw: number[], theory: number): FigureSpec {
  const values: Record<string, number | string>[] = [];
  let s = 0, s2 = 0;
  const last = dw.length;
  for (let n = 1; n <= last; n++) {
    s += dw[n - 1];
    s2 += dw[n - 1] ** 2;
    if (n < 20 || (n & (n - 1)) !== 0 && n !== last && n % Math.max(1, Math.floor(last / 40)) !== 0) continue;
    const mean = s / n;
    const sem = Math.sqrt(Math.max(0, s2 / n - mean * mean) / (n - 1));
    values.push({ trials: n, value: Math.abs(mean - theory), series: '|mean - exact expectation|' }, { trials: n, value: sem, series: 'standard error' });
  }
  const semLast = values.filter((v) => v.series === 'standard error').at(-1)?.value as number;
  for (const v of values.filter((v) => v.series === 'standard error')) values.push({ trials: v.trials, value: semLast * Math.sqrt(last / (v.trials as number)), series: '1/sqrt(trials)' });
  return {
    name: 'derivative_convergence',
    title: `Convergence of the spiking estimate at slope ${slope} Hz/s: its error and standard error shrink as 1/sqrt(trials)`,
    spec: {
      ...baseSpec('Convergence to the rate-coded expectation', 'error and standard error vs trials', values),
      width: WIDTH, height: 280,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'trials', type: 'quantitative', scale: { type: 'log' } },
        y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: 'mV' },
        color: { field: 'series', type: 'nominal' },
      },
    },
  };
}

export function song2000Figures(edges: number[], counts: number[], rates: number[], windowMs: number): FigureSpec[] {
  const width = edges.length > 1 ? edges[1] - edges[0] : 1;
  return [
    {
      name: 'song_weights',
      title: 'Final weight distribution: competitive STDP pushes weights to the bounds (Song, Miller & Abbott 2000)',
      spec: {
        ...baseSpec('Final weights', 'histogram of final weights', edges.map((e, k) => ({ lo: e, hi: e + width, count: counts[k] }))),
        width: WIDTH, height: 260, mark: 'bar',
        encoding: { x: { field: 'lo', type: 'quantitative', bin: { binned: true }, title: 'weight (mV)' }, x2: { field: 'hi' }, y: { field: 'count', type: 'quantitative', title: 'synapses' } },
      },
    },
    {
      name: 'song_rate',
      title: `Output rate in consecutive ${windowMs / 1000} s windows`,
      spec: {
        ...baseSpec('Output rate', 'output rate per window', rates.map((r, k) => ({ t_s: ((k + 0.5) * windowMs) / 1000, rate_hz: r }))),
        width: WIDTH, height: 220, mark: { type: 'line', point: true },
        encoding: { x: { field: 't_s', type: 'quantitative', title: 'time (s)' }, y: { field: 'rate_hz', type: 'quantitative', title: 'rate (Hz)' } },
      },
    },
  ];
}
