/**
 * Scenario-specific figures (Vega-Lite specs with inline data) for the experiments: the STDP window against its
 * exact sum, the derivative-filter line with error bars over the exact expectation, the convergence of the spiking
 * estimate as trials grow. Every figure's legend names each mark, its caption says what is drawn, and
 * `usermeta.order` keeps the experiment's order in the report. (song2000 draws none of its own: its weight
 * distribution and output rate are the report's weights-hist and rate figures, which would otherwise show twice.)
 */
import type { FigureSpec } from '../scenario/experiment.js';
import { baseSpec, WIDTH } from '../report/vl.js';

/**
 * Legends for layers of fixed marks: each layer encodes a constant `datum` (its label) on a scale shared by the
 * layers of its kind, so the legends name every mark (theory, measured, fit, ...). Lines go on the stroke channel
 * (legend symbols are strokes), points and error bars on color (circles): `line(labels, colors, label)` and
 * `dots(...)`. A dashed line says so in its label, as the legend draws its stroke solid.
 */
const LEGEND = { orient: 'bottom', direction: 'vertical', labelLimit: 460 };
function line(labels: string[], colors: string[], label: string): object {
  return { stroke: { datum: label, type: 'nominal', title: null, scale: { domain: labels, range: colors }, legend: { ...LEGEND, symbolType: 'stroke' } } };
}
function dots(labels: string[], colors: string[], label: string): object {
  return { color: { datum: label, type: 'nominal', title: null, scale: { domain: labels, range: colors }, legend: LEGEND } };
}

/** Where the report draws an experiment's figure among its others (report/build-report.ts reads usermeta.order). */
const order = (k: number) => ({ usermeta: { order: k } });

/**
 * The window's measured total weight change against the exact sum over all pairs, one panel per pairing scheme.
 * An antisymmetric window jumps at s = 0, so the theory line is drawn as two pieces, s < 0 and s >= 0.
 */
export function stdpWindowFigure(points: { scheme: string; s_ms: number; dw_mv: number; theory_mv: number }[], window: 'antisymmetric' | 'symmetric' = 'antisymmetric'): FigureSpec {
  const split = window === 'antisymmetric';
  const values = points.map((p) => ({ scheme: p.scheme, s_ms: p.s_ms, measured: p.dw_mv, theory: p.theory_mv, side: split && p.s_ms < 0 ? 'post before pre' : 'pre before post' }));
  const schemes = [...new Set(points.map((p) => p.scheme))];
  const theoryLabel = 'exact sum of the window over all pairs (theory)';
  const measuredLabel = 'measured total weight change (simulation)';
  let maxRel = 0;
  for (const p of points) maxRel = Math.max(maxRel, Math.abs(p.dw_mv - p.theory_mv) / Math.max(Math.abs(p.theory_mv), 1e-300));
  const x = { field: 's_ms', type: 'quantitative', title: 's = t_post - t_pre (ms)' };
  const y = { type: 'quantitative', title: 'total weight change (mV)' };
  const title = 'STDP window: measured weight change against the exact window sum';
  const caption =
    `Total weight change of each synapse after the pairing protocol, at each offset s (points), and the exact sum of the window W over all its pre-post pairs (line)` +
    (schemes.length > 1 ? `, one panel per pairing scheme (${schemes.join(', ')})` : ` (${schemes[0] ?? ''} pairing)`) +
    (split ? '. W jumps at s = 0, so the line is not joined across it.' : '.') +
    (maxRel < 1e-6 ? ` The points fall on the line (largest relative difference ${maxRel.toPrecision(2)}), so the line shows only through the open circles.` : '');
  return {
    name: 'stdp_window',
    title,
    spec: {
      ...baseSpec(title, caption, values),
      ...order(0),
      columns: 2,
      facet: { field: 'scheme', type: 'nominal', title: 'pairing scheme', sort: schemes },
      spec: {
        width: schemes.length > 1 ? WIDTH / 2 - 70 : WIDTH - 60, height: 280,
        layer: [
          { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y: { ...y, field: 'theory' }, detail: { field: 'side' }, ...line([theoryLabel], ['#555'], theoryLabel) } },
          { mark: { type: 'point', filled: false, size: 30, strokeWidth: 1.2 }, encoding: { x, y: { ...y, field: 'measured' }, ...dots([measuredLabel], ['#4c78a8'], measuredLabel) } },
        ],
      },
    },
  };
}

export function derivativeFigure(points: { slope_hz_per_s: number; mean_dw?: number; sem_dw?: number; theory_dw: number }[], fit?: { slope: number; intercept: number }): FigureSpec {
  const measured = points[0]?.mean_dw !== undefined;
  const values = points.map((p) => ({
    slope: p.slope_hz_per_s, theory: p.theory_dw, mean: p.mean_dw ?? null,
    lo: p.mean_dw !== undefined ? p.mean_dw - 1.96 * (p.sem_dw ?? 0) : null, hi: p.mean_dw !== undefined ? p.mean_dw + 1.96 * (p.sem_dw ?? 0) : null,
    fit: fit ? fit.intercept + fit.slope * p.slope_hz_per_s : null,
  }));
  const lines = ['exact rate-coded expectation (theory)', ...(measured && fit ? ['weighted linear fit to the spiking means (dashed)'] : [])];
  const stroke = (k: number) => line(lines, ['#888', '#e45756'], lines[k]);
  const meanLabel = 'spiking mean ± 95% CI (1.96 SEM)';
  const mean = dots([meanLabel], ['#4c78a8'], meanLabel);
  const x = { field: 'slope', type: 'quantitative', title: 'slope of the postsynaptic rate (Hz/s)' };
  const y = { type: 'quantitative', title: 'mean weight change per trial (mV)' };
  const layer: object[] = [{ mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: { ...y, field: 'theory' }, ...stroke(0) } }];
  if (measured) {
    layer.push(
      { mark: { type: 'rule' }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, ...mean } },
      { mark: { type: 'point', filled: true, size: 50, opacity: 1 }, encoding: { x, y: { ...y, field: 'mean' }, ...mean } },
    );
    if (fit) layer.push({ mark: { type: 'line', strokeDash: [4, 3] }, encoding: { x, y: { ...y, field: 'fit' }, ...stroke(1) } });
  }
  const title = 'STDP as a derivative filter';
  const caption = measured
    ? 'Mean STDP weight change per trial against the rate of change of postsynaptic activity: spiking means over trials with 95% confidence intervals (mean ± 1.96 standard errors), the weighted linear fit to them (dashed), and the exact rate-coded expectation (grey line).'
    : 'Exact rate-coded expectation of the mean STDP weight change per trial against the rate of change of postsynaptic activity (rate mode: no spiking trials).';
  return {
    name: 'derivative_filter',
    title,
    spec: { ...baseSpec(title, caption, values), ...order(0), width: WIDTH, height: 320, layer },
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
  const labels = ['|mean - exact expectation|', 'standard error of the mean', 'standard error law: last SE x sqrt(last n / n)'];
  for (const v of values) v.series = labels[['|mean - exact expectation|', 'standard error', '1/sqrt(trials)'].indexOf(v.series as string)];
  const title = 'Convergence to the rate-coded expectation';
  return {
    name: 'derivative_convergence',
    title,
    spec: {
      ...baseSpec(title, `At slope ${slope} Hz/s, the steepest: the distance of the running spiking mean from the exact expectation and its standard error as trials accumulate, with the 1/sqrt(trials) law drawn through the last standard error. Both axes are logarithmic.`, values),
      ...order(1),
      width: WIDTH, height: 280,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'trials', type: 'quantitative', scale: { type: 'log', nice: false }, title: 'trials (log scale)' },
        y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: 'weight change (mV, log scale)' },
        color: { field: 'series', type: 'nominal', title: null, sort: labels, scale: { domain: labels, range: ['#e45756', '#4c78a8', '#888'] }, legend: LEGEND },
      },
    },
  };
}
