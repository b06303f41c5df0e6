/**
 * Reads weights/<projection>.series.csv (t_ms, pre, post, weight_mv; time-major snapshot blocks: consecutive rows
 * with equal t_ms are one snapshot) into what the weight figures draw, without holding the series: the first
 * snapshot's weights (the initial histogram) and, per drawn snapshot, the mean and the 5/25/50/75/95% quantiles over
 * synapses (numpy's linear quantiles). At most MAX_SNAPSHOTS are drawn: every step-th and the last, step =
 * ceil(snapshots / MAX_SNAPSHOTS), so a long series of many synapses costs one sort per drawn snapshot.
 *
 * One pass summarises every snapshot while there are at most MAX_SNAPSHOTS; a longer series, whose drawn
 * snapshots depend on their count, is read a second time for them. Memory: one snapshot's weights, plus the first's.
 */
import { columnIndex } from '../formats/csv-read.js';
import { CSV_BLOCK_BYTES, doubled, streamNumericCsv } from '../formats/csv-stream.js';
import { quantileSorted } from './aggregate.js';

export const MAX_SNAPSHOTS = 400;

/** One drawn snapshot, unrounded (the figure rounds for display). */
export interface SnapshotSummary {
  t_ms: number;
  mean: number;
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
}

export interface WeightSeries {
  /** The first snapshot: its time and its synapses' weights, in file order. */
  first: { t_ms: number; weights: Float64Array };
  /** Summaries of the drawn snapshots, in time order. */
  drawn: SnapshotSummary[];
  /** Snapshots in the file. */
  snapshots: number;
  /** One in `step` snapshots is drawn (and the last). */
  step: number;
  /** Synapses in the first snapshot. */
  synapses: number;
}

/** Sorts `v` in place and summarises it. The sum runs over the sorted values. */
function summary(t_ms: number, v: Float64Array): SnapshotSummary {
  v.sort();
  let sum = 0;
  for (let k = 0; k < v.length; k++) sum += v[k];
  const q = (p: number) => quantileSorted(v, p);
  return { t_ms, mean: sum / v.length, q05: q(0.05), q25: q(0.25), median: q(0.5), q75: q(0.75), q95: q(0.95) };
}

interface Scan {
  snapshots: number;
  synapses: number;
  first: { t_ms: number; weights: Float64Array } | null;
  drawn: SnapshotSummary[];
}

/** One pass: counts snapshots and summarises snapshot k when k < cap and (k % step === 0 or k === last). */
function scan(path: string, origin: string, step: number, last: number, cap: number, blockBytes: number): Scan {
  const out: Scan = { snapshots: 0, synapses: 0, first: null, drawn: [] };
  let ti = 0;
  let wi = 0;
  let k = -1;
  let tStart = NaN;
  let wanted = false;
  let buf: Float64Array = new Float64Array(0);
  let n = 0;
  const close = () => {
    if (!wanted) return;
    if (k === 0) out.first = { t_ms: tStart, weights: buf.slice(0, n) };
    out.drawn.push(summary(tStart, buf.subarray(0, n)));
  };
  streamNumericCsv(
    path,
    origin,
    {
      header(names) {
        ti = columnIndex(names, 't_ms', origin);
        wi = columnIndex(names, 'weight_mv', origin);
      },
      row(values) {
        const t = values[ti];
        if (k < 0 || t !== tStart) {
          close();
          k++;
          tStart = t;
          n = 0;
          wanted = k < cap && (k % step === 0 || k === last);
        }
        if (k === 0) out.synapses++;
        if (!wanted) return;
        if (n === buf.length) buf = doubled(buf);
        buf[n++] = values[wi];
      },
    },
    blockBytes,
  );
  close();
  out.snapshots = k + 1;
  return out;
}

/** The series at `path` summarised for the figures; null if it has no rows. */
export function readWeightSeries(path: string, origin: string, maxDrawn = MAX_SNAPSHOTS, blockBytes = CSV_BLOCK_BYTES): WeightSeries | null {
  let s = scan(path, origin, 1, -1, maxDrawn, blockBytes);
  if (s.snapshots === 0) return null;
  const step = Math.max(1, Math.ceil(s.snapshots / maxDrawn));
  if (step > 1) s = scan(path, origin, step, s.snapshots - 1, Infinity, blockBytes);
  return { first: s.first!, drawn: s.drawn, snapshots: s.snapshots, step, synapses: s.synapses };
}
