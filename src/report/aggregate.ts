/**
 * Aggregation for figures: figures never draw more marks than a reader can see, so large runs are binned,
 * decimated or summarized here before any spec is built. Everything is O(n) or O(n log n) in the data size.
 */

/** The smallest 1, 2 or 5 times a power of ten that is >= x (x > 0). */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  // toPrecision: 10 ** -4 * 1 is 1.0000000000000002e-4 in floating point; a caption should say 0.0001.
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-12)) return Number((m * p).toPrecision(12));
  return Number((10 * p).toPrecision(12));
}

/** Rounds for display in a figure's inline data (the CSV/NPY files keep every digit). */
export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const e = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(x))));
  return e > 15 ? x : Number(x.toFixed(e));
}

export interface Histogram {
  lo: number;
  width: number;
  counts: Float64Array;
  /** Values outside [lo, lo + width * bins). */
  outside: number;
}

/** Counts of `values` in `bins` equal bins from `lo` of width `width`. */
export function histogram(values: ArrayLike<number>, lo: number, width: number, bins: number): Histogram {
  const counts = new Float64Array(bins);
  let outside = 0;
  for (let k = 0; k < values.length; k++) {
    const b = Math.floor((values[k] - lo) / width);
    if (b >= 0 && b < bins) counts[b]++;
    else outside++;
  }
  return { lo, width, counts, outside };
}

/** Quantile q of sorted values with linear interpolation between order statistics (numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Indices of samples to keep so that a trace of n samples keeps at most about `target` points: the first and last
 * sample, and the minimum and maximum of each bucket in time order, so that spikes and resets stay visible.
 */
export function decimate(values: ArrayLike<number>, target: number): number[] {
  const n = values.length;
  if (n <= target) return Array.from({ length: n }, (_, k) => k);
  const buckets = Math.max(1, Math.floor(target / 2));
  const size = n / buckets;
  const keep: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const a = Math.floor(b * size);
    const e = Math.min(n, Math.floor((b + 1) * size));
    let iMin = a;
    let iMax = a;
    for (let k = a + 1; k < e; k++) {
      if (values[k] < values[iMin]) iMin = k;
      if (values[k] > values[iMax]) iMax = k;
    }
    if (iMin === iMax) keep.push(iMin);
    else keep.push(Math.min(iMin, iMax), Math.max(iMin, iMax));
  }
  if (keep[0] !== 0) keep.unshift(0);
  if (keep[keep.length - 1] !== n - 1) keep.push(n - 1);
  return keep;
}

/** Interspike intervals of every neuron, pooled, from spikes sorted by time; and the spike count per neuron. */
export function intervals(neuron: ArrayLike<number>, t: ArrayLike<number>, size: number): { isi: Float64Array; perNeuron: Int32Array } {
  const last = new Float64Array(size).fill(NaN);
  const perNeuron = new Int32Array(size);
  const isi = new Float64Array(Math.max(0, t.length));
  let m = 0;
  for (let k = 0; k < t.length; k++) {
    const i = neuron[k];
    if (i < 0 || i >= size) continue;
    if (last[i] === last[i]) isi[m++] = t[k] - last[i];
    last[i] = t[k];
    perNeuron[i]++;
  }
  return { isi: isi.subarray(0, m), perNeuron };
}

/** Coefficient of variation of the ISIs of each neuron with at least 3 spikes (as analysis/spike-stats.ts). */
export function cvPerNeuron(neuron: ArrayLike<number>, t: ArrayLike<number>, size: number): Float64Array {
  const last = new Float64Array(size).fill(NaN);
  const sum = new Float64Array(size);
  const sum2 = new Float64Array(size);
  const cnt = new Int32Array(size);
  for (let k = 0; k < t.length; k++) {
    const i = neuron[k];
    if (i < 0 || i >= size) continue;
    if (last[i] === last[i]) {
      const d = t[k] - last[i];
      sum[i] += d;
      sum2[i] += d * d;
      cnt[i]++;
    }
    last[i] = t[k];
  }
  const out: number[] = [];
  for (let i = 0; i < size; i++) {
    if (cnt[i] < 2) continue;
    const mean = sum[i] / cnt[i];
    out.push(mean > 0 ? Math.sqrt(Math.max(0, sum2[i] / cnt[i] - mean * mean)) / mean : 0);
  }
  return Float64Array.from(out);
}
