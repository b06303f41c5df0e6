/**
 * Spike-train statistics for run summaries and tests.
 *
 * - rate_hz: spikes / (neurons * duration).
 * - cv_isi: mean over neurons with >= 3 spikes of std(ISI) / mean(ISI); 1 for Poisson, 0 for clocks.
 * - synchrony_chi (Golomb 2007, on binned spike counts c_i(b) of up to 500 neurons):
 *   chi^2 = Var_b[mean_i c_i(b)] / mean_i Var_b[c_i(b)]. About 1/sqrt(N) for asynchronous activity, 1 for full
 *   synchrony.
 *
 * Computed in one pass over spikes in time order, which may come in slices (SpikeStatsAccumulator: a long run's
 * recorded spikes are streamed from disk, recording/spikes.ts), holding O(neurons) numbers, not the spikes: per
 * neuron its last spike and ISI sums; for synchrony the counts of the current bin only. The sums are taken in the
 * same order as over the whole trains at once, so the result is the same to the bit however the spikes are sliced.
 */
import type { SpikeTrains } from '../recording/spikes.js';

export interface PopulationStats {
  neurons: number;
  spikes: number;
  rate_hz: number;
  cv_isi: number | null;
  synchrony_chi: number | null;
}

export function spikeStats(tr: SpikeTrains, size: number, t0: number, t1: number, binMs = 5): PopulationStats {
  const acc = new SpikeStatsAccumulator(size, t0, t1, binMs);
  acc.add(tr);
  return acc.result();
}

/** spikeStats over spikes given in consecutive slices (in time order, as the recorders' slices come). */
export class SpikeStatsAccumulator {
  private readonly last: Float64Array;
  private readonly sum: Float64Array;
  private readonly sum2: Float64Array;
  private readonly cnt: Int32Array;
  private spikes = 0;
  // Synchrony: bins of binMs from t0, the first `neurons` neurons; counts of the current bin, and per neuron the
  // sums over bins of its count and squared count (integers, exact); over bins, the population mean and its square.
  private readonly nb: number;
  private readonly neurons: number;
  private readonly cur: Float64Array;
  private readonly m: Float64Array;
  private readonly m2: Float64Array;
  private bin = -1;
  private pm = 0;
  private pm2 = 0;

  constructor(readonly size: number, readonly t0: number, readonly t1: number, readonly binMs = 5) {
    this.last = new Float64Array(size).fill(NaN);
    this.sum = new Float64Array(size);
    this.sum2 = new Float64Array(size);
    this.cnt = new Int32Array(size);
    this.nb = Math.floor((t1 - t0) / binMs);
    this.neurons = this.nb < 2 || size < 2 ? 0 : Math.min(size, 500); // a fixed subset bounds the cost
    this.cur = new Float64Array(this.neurons);
    this.m = new Float64Array(this.neurons);
    this.m2 = new Float64Array(this.neurons);
  }

  /** The next spikes, in time order after those already added. */
  add(tr: SpikeTrains): void {
    const { t0, t1, last, sum, sum2, cnt, neurons, nb, binMs } = this;
    const n = tr.t.length;
    for (let k = 0; k < n; k++) {
      const t = tr.t[k];
      const i = tr.neuron[k];
      if (neurons > 0) {
        const b = Math.floor((t - t0) / binMs);
        if (i < neurons && b >= 0 && b < nb) {
          if (b !== this.bin) {
            if (b < this.bin) throw new Error(`spike statistics need spikes in time order; got t = ${t} ms after bin ${this.bin}`);
            this.flushBin();
            this.bin = b;
          }
          this.cur[i]++;
        }
      }
      if (t < t0 || t >= t1) continue;
      this.spikes++;
      if (last[i] === last[i]) {
        const isi = t - last[i];
        sum[i] += isi;
        sum2[i] += isi * isi;
        cnt[i]++;
      }
      last[i] = t;
    }
  }

  /**
   * Closes the current bin: its population mean, summed over neurons in index order as over the whole (bins without
   * spikes add zeros, which change no sum, so they are skipped).
   */
  private flushBin(): void {
    if (this.bin < 0) return;
    const { cur, m, m2, neurons } = this;
    let p = 0;
    for (let i = 0; i < neurons; i++) {
      const c = cur[i];
      m[i] += c;
      m2[i] += c * c;
      p += c / neurons;
      cur[i] = 0;
    }
    this.pm += p;
    this.pm2 += p * p;
  }

  result(): PopulationStats {
    const { size, cnt, sum, sum2 } = this;
    let cvSum = 0;
    let cvN = 0;
    for (let i = 0; i < size; i++) {
      if (cnt[i] < 2) continue;
      const m = sum[i] / cnt[i];
      const v = Math.max(0, sum2[i] / cnt[i] - m * m);
      cvSum += Math.sqrt(v) / m;
      cvN++;
    }
    return {
      neurons: size,
      spikes: this.spikes,
      rate_hz: this.spikes / size / ((this.t1 - this.t0) * 1e-3),
      cv_isi: cvN > 0 ? cvSum / cvN : null,
      synchrony_chi: this.synchrony(),
    };
  }

  private synchrony(): number | null {
    const { nb, neurons } = this;
    if (neurons === 0) return null;
    this.flushBin();
    this.bin = Infinity; // closed: nothing more may be added
    let meanVar = 0;
    for (let i = 0; i < neurons; i++) {
      const m = this.m[i] / nb;
      meanVar += this.m2[i] / nb - m * m;
    }
    meanVar /= neurons;
    const pm = this.pm / nb;
    const popVar = this.pm2 / nb - pm * pm;
    return meanVar > 0 ? Math.sqrt(Math.max(0, popVar) / meanVar) : null;
  }
}
