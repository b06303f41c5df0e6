/**
 * Figures of the nudge-deltas experiment (Vega-Lite, data inline): each digit's cosine against beta with the medians
 * of the spiking network and its rate twin; the median cosine against the window after the nudge starts; and, for
 * the median digit of each feedback, every hidden neuron's rate change against backprop's delta.
 */
import type { FigureSpec } from '../scenario/experiment.js';
import { baseSpec, WIDTH } from '../report/vl.js';
import type { DigitResult, FeedbackKind } from './nudge-deltas-measure.js';
import type { SummaryRow } from './nudge-deltas-summary.js';

export function nudgeFigures(feedback: FeedbackKind[], betas: number[], rows: SummaryRow[], digits: DigitResult[], windows: number[]): FigureSpec[] {
  // usermeta.order: the report keeps this order (report/build-report.ts).
  return [cosineByBeta(betas, rows, digits, windows), cosineByWindow(rows, windows), changesScatter(feedback, betas, digits, windows)].map((f, k) => ({
    ...f,
    spec: { ...f.spec, usermeta: { order: k } },
  }));
}

function cosineByBeta(betas: number[], rows: SummaryRow[], digits: DigitResult[], windows: number[]): FigureSpec {
  const last = windows.length - 1;
  const points = digits.flatMap((d) => betas.map((beta, b) => ({ feedback: d.feedback, beta, cosine: d.cos[b][last], digit: d.digit })));
  const medians = rows.flatMap((r) => [
    { feedback: r.feedback, beta: r.beta, median: r.spiking_median[last], model: 'spiking' },
    { feedback: r.feedback, beta: r.beta, median: r.twin_median, model: 'rate twin' },
  ]);
  const x = { field: 'beta', type: 'quantitative', scale: { type: 'log' }, title: 'teacher gain beta (teacher Hz per Hz of output error)' };
  const y = { type: 'quantitative', title: 'cosine with backprop hidden deltas', scale: { domain: [-1, 1] } };
  const color = { field: 'feedback', type: 'nominal', title: 'feedback' };
  const title = `Cosine between the hidden rate change a nudge causes (whole ${windows[last]} ms phase) and backprop's hidden deltas, per digit (points), with the medians of the spiking network (solid) and of its rate twin (dashed)`;
  return {
    name: 'nudge_cosine_beta',
    title,
    spec: {
      ...baseSpec('Hidden rate change vs backprop deltas', `${title}; one color per feedback.`, []),
      width: WIDTH, height: 320,
      layer: [
        { data: { values: points }, mark: { type: 'point', opacity: 0.5, size: 20 }, encoding: { x, y: { ...y, field: 'cosine' }, color } },
        { data: { values: medians }, mark: { type: 'line', point: true }, encoding: { x, y: { ...y, field: 'median' }, color, strokeDash: { field: 'model', type: 'nominal', title: 'median of', scale: { domain: ['spiking', 'rate twin'], range: [[1, 0], [5, 3]] }, legend: { symbolType: 'stroke', symbolStrokeColor: '#555' } } } },
      ],
    },
  };
}

function cosineByWindow(rows: SummaryRow[], windows: number[]): FigureSpec {
  const values = rows.flatMap((r) => windows.map((w, k) => ({ feedback: r.feedback, beta: String(r.beta), window_ms: w, median: r.spiking_median[k] })));
  const title = 'Median cosine (spiking) against the window [t1, t1 + w) over which the rate change is counted: early windows measure the slope dr/dt, the last one the whole nudge';
  return {
    name: 'nudge_cosine_window',
    title,
    spec: {
      ...baseSpec('Cosine vs window', `${title}. One panel per feedback, one line per teacher gain beta.`, values),
      width: WIDTH / 3 - 40, height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        column: { field: 'feedback', type: 'nominal', title: null },
        x: { field: 'window_ms', type: 'quantitative', scale: { type: 'log' }, title: 'window w after the nudge starts (ms)' },
        y: { field: 'median', type: 'quantitative', title: 'median cosine', scale: { domain: [-0.2, 1] } },
        color: { field: 'beta', type: 'nominal', sort: null, title: 'beta' },
      },
    },
  };
}

/** The digit with the median whole-phase cosine at the smallest beta, per feedback: hidden changes vs delta. */
function changesScatter(feedback: FeedbackKind[], betas: number[], digits: DigitResult[], windows: number[]): FigureSpec {
  const last = windows.length - 1;
  const values: object[] = [];
  for (const f of feedback) {
    const d = digits.filter((r) => r.feedback === f).sort((a, b) => a.cos[0][last] - b.cos[0][last] || a.digit - b.digit);
    const mid = d[d.length >> 1];
    if (!mid) continue;
    const scale = Math.max(...Array.from(mid.deltaH, Math.abs)) || 1;
    const panel = `${f} (digit ${mid.digit}, cosine ${mid.cos[0][last].toFixed(2)})`;
    mid.deltaH.forEach((x, h) => values.push(
      { panel, delta: x / scale, change: mid.drSpiking[0][h], model: 'spiking network' },
      { panel, delta: x / scale, change: mid.drTwin[0][h], model: 'rate twin' },
    ));
  }
  const title = `Each hidden neuron's rate change (beta ${betas[0]}, whole nudge) in the spiking network and in its rate twin against backprop's delta (scaled to max 1), for the median digit of each feedback`;
  const model = { field: 'model', type: 'nominal', title: 'rate change in', sort: ['spiking network', 'rate twin'] };
  return {
    name: 'nudge_scatter',
    title,
    spec: {
      ...baseSpec('Hidden rate changes vs backprop deltas', `${title}.`, values),
      facet: { column: { field: 'panel', type: 'nominal', title: null } },
      spec: {
        width: WIDTH / 3 - 40, height: 240,
        mark: { type: 'point', filled: true, size: 25 },
        encoding: {
          x: { field: 'delta', type: 'quantitative', title: 'backprop delta (scaled)' },
          y: { field: 'change', type: 'quantitative', title: 'hidden rate change (Hz)' },
          color: { ...model, scale: { domain: ['spiking network', 'rate twin'], range: ['#4c78a8', '#e45756'] } },
          shape: { ...model, scale: { domain: ['spiking network', 'rate twin'], range: ['circle', 'cross'] } },
        },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}
