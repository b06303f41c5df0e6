/**
 * Pure helpers of the accuracy-against-cost comparison (scripts/peer/accuracy.ts): matching spike trains, the
 * first spike that differs, medians, and reading a cost or an error off a measured curve by log-log interpolation.
 * No I/O; tested in tests/scripts/accuracy-stats.test.ts.
 */
import type { SpikeTrains } from '../../src/recording/spikes.js';

/** Each neuron's spike times, in time order. */
export function byNeuron(tr: SpikeTrains, size: number): Float64Array[] {
  const counts = new Int32Array(size);
  for (let k = 0; k < tr.neuron.length; k++) counts[tr.neuron[k]]++;
  const out = Array.from(counts, (c) => new Float64Array(c));
  counts.fill(0);
  for (let k = 0; k < tr.neuron.length; k++) {
    const i = tr.neuron[k];
    out[i][counts[i]++] = tr.t[k];
  }
  for (const a of out) a.sort();
  return out;
}

export interface TrainErrors {
  /** Pairs of spikes matched within the window. */
  matched: number;
  /** Reference spikes with no test spike within the window (missed), and test spikes with none (extra). */
  missed: number;
  extra: number;
  /** Over matched pairs, |t_test - t_ref|: mean, median, largest (ms); mean of t_test - t_ref (bias). */
  mean_abs_ms: number;
  median_abs_ms: number;
  max_abs_ms: number;
  mean_signed_ms: number;
}

/**
 * Matches test spikes to reference spikes neuron by neuron, in time order: the next reference and test spikes pair
 * up when they lie within `windowMs` of each other; otherwise the earlier one is unmatched (missed if it is the
 * reference's, extra if the test's). With the window below half the shortest interval between a neuron's spikes
 * (the refractory period bounds it from below), no pair is ambiguous.
 */
export function trainErrors(ref: readonly Float64Array[], test: readonly Float64Array[], windowMs: number): TrainErrors {
  if (ref.length !== test.length) throw new Error(`trainErrors: ${ref.length} reference neurons but ${test.length} test neurons`);
  const abs: number[] = [];
  let signed = 0;
  let missed = 0;
  let extra = 0;
  for (let n = 0; n < ref.length; n++) {
    const a = ref[n];
    const b = test[n];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const d = b[j] - a[i];
      if (Math.abs(d) <= windowMs) {
        abs.push(Math.abs(d));
        signed += d;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        missed++;
        i++;
      } else {
        extra++;
        j++;
      }
    }
    missed += a.length - i;
    extra += b.length - j;
  }
  abs.sort((x, y) => x - y);
  const m = abs.length;
  return {
    matched: m,
    missed,
    extra,
    mean_abs_ms: m ? abs.reduce((s, x) => s + x, 0) / m : NaN,
    median_abs_ms: m ? median(abs) : NaN,
    max_abs_ms: m ? abs[m - 1] : NaN,
    mean_signed_ms: m ? signed / m : NaN,
  };
}

/**
 * The time of the first spike that differs by more than `tolMs` between two runs of the same network: neuron by
 * neuron, the k-th spikes are compared; the first pair further apart than tolMs contributes the earlier of its two
 * times, and a spike one run has and the other has not contributes its own time. Null when every spike agrees.
 */
export function firstDivergence(ref: readonly Float64Array[], test: readonly Float64Array[], tolMs: number): number | null {
  if (ref.length !== test.length) throw new Error(`firstDivergence: ${ref.length} reference neurons but ${test.length} test neurons`);
  let first = Infinity;
  for (let n = 0; n < ref.length; n++) {
    const a = ref[n];
    const b = test[n];
    const common = Math.min(a.length, b.length);
    let k = 0;
    while (k < common && Math.abs(a[k] - b[k]) <= tolMs) k++;
    if (k < common) first = Math.min(first, a[k], b[k]);
    else if (a.length !== b.length) first = Math.min(first, a.length > common ? a[common] : b[common]);
  }
  return first === Infinity ? null : first;
}

/** Median of a non-empty list (the mean of the two middle values for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median: empty list');
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

export type Point = readonly [x: number, y: number];

const lerpLog = (x0: number, x1: number, f: number) => Math.exp(Math.log(x0) + f * (Math.log(x1) - Math.log(x0)));

/**
 * y at x on the piecewise straight line in log-log through `points` (all coordinates > 0), or null when x lies
 * outside the points' range: no extrapolation.
 */
export function logLogAt(points: readonly Point[], x: number): number | null {
  const p = [...points].sort((a, b) => a[0] - b[0]);
  for (let k = 0; k + 1 < p.length; k++) {
    const [x0, y0] = p[k];
    const [x1, y1] = p[k + 1];
    if (x >= x0 && x <= x1) return x1 === x0 ? y0 : lerpLog(y0, y1, Math.log(x / x0) / Math.log(x1 / x0));
  }
  return p.length === 1 && p[0][0] === x ? p[0][1] : null;
}

/**
 * The x at which the same log-log line reaches y: the first segment, in increasing x, whose ends bracket y. Null
 * when no segment does (y outside the measured range).
 */
export function logLogSolve(points: readonly Point[], y: number): number | null {
  const p = [...points].sort((a, b) => a[0] - b[0]);
  for (let k = 0; k + 1 < p.length; k++) {
    const [x0, y0] = p[k];
    const [x1, y1] = p[k + 1];
    if ((y - y0) * (y - y1) <= 0) return y1 === y0 ? x0 : lerpLog(x0, x1, Math.log(y / y0) / Math.log(y1 / y0));
  }
  return null;
}
