/**
 * The nudge-deltas summary: per feedback and beta, the median cosine over digits (rate twin; spiking per window),
 * the spiking quartiles, and how closely the spiking changes follow the twin's.
 */
import type { DigitResult, FeedbackKind } from './nudge-deltas-measure.js';
import { median } from '../math/vector-stats.js';

export interface SummaryRow {
  feedback: FeedbackKind;
  beta: number;
  /** Rate twin: median cosine. */
  twin_median: number;
  /** Spiking: median cosine per window (same order as `windows_ms`). */
  spiking_median: number[];
  spiking_q25: number;
  spiking_q75: number;
  /** Median cosine of the spiking hidden change with the twin's, and of the output changes. */
  spiking_vs_twin_median: number;
  output_vs_twin_median: number;
}

function quantile(xs: number[], q: number): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = q * (s.length - 1);
  const lo = Math.floor(i);
  return s[lo] + (i - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
}

export function summarize(feedback: FeedbackKind[], betas: number[], digits: DigitResult[], windows: number[]): SummaryRow[] {
  const last = windows.length - 1;
  return feedback.flatMap((f) => betas.map((beta, b) => {
    const d = digits.filter((r) => r.feedback === f);
    const whole = d.map((r) => r.cos[b][last]);
    return {
      feedback: f, beta,
      twin_median: median(d.map((r) => r.twinCos[b])),
      spiking_median: windows.map((_, w) => median(d.map((r) => r.cos[b][w]))),
      spiking_q25: quantile(whole, 0.25),
      spiking_q75: quantile(whole, 0.75),
      spiking_vs_twin_median: median(d.map((r) => r.spikingTwinCos[b])),
      output_vs_twin_median: median(d.map((r) => r.outputCos[b])),
    };
  }));
}

