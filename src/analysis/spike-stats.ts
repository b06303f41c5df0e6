/**
 * Spike-train statistics for run summaries and tests.
 *
 * - rate_hz: spikes / (neurons * duration).
 * - cv_isi: mean over neurons with >= 3 spikes of std(ISI) / mean(ISI); 1 for Poisson, 0 for clocks.
 * - synchrony_chi (Golomb 2007, on binned spike counts c_i(b) of up to 500 neurons):
 *   chi^2 = Var_b[mean_i c_i(b)] / mean_i Var_b[c_i(b)]. About 1/sqrt(N) for asynchronous activity, 1 for full
 *   synchrony.
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
  const n = tr.t.length;
  const dur = t1 - t0;
  const last = new Float64Array(size).fill(NaN);
  const sum = new Float64Array(size);
  const sum2 = new Float64Array(size);
  const cnt = new Int32Array(size);
  let spikes = 0;
  for (let k = 0; k < n; k++) {
    const t = tr.t[k];
    if (t < t0 || t >= t1) continue;
    spikes++;
    const i = tr.neuron[k];
    if (last[i] === last[i]) {
      const isi = t - last[i];
      sum[i] += isi;
      sum2[i] += isi * isi;
      cnt[i]++;
    }
    last[i] = t;
  }
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
    spikes,
    rate_hz: spikes / size / (dur * 1e-3),
    cv_isi: cvN > 0 ? cvSum / cvN : null,
    synchrony_chi: synchrony(tr, size, t0, t1, binMs),
  };
}

function synchrony(tr: SpikeTrains, size: number, t0: number, t1: number, binMs: number): number | null {
  const nb = Math.floor((t1 - t0) / binMs);
  if (nb < 2 || size < 2) return null;
  const neurons = Math.min(size, 500); // a fixed subset bounds the cost
  const counts = new Float64Array(neurons * nb);
  for (let k = 0; k < tr.t.length; k++) {
    const i = tr.neuron[k];
    const b = Math.floor((tr.t[k] - t0) / binMs);
    if (i < neurons && b >= 0 && b < nb) counts[i * nb + b]++;
  }
  const popMean = new Float64Array(nb);
  let meanVar = 0;
  for (let i = 0; i < neurons; i++) {
    let m = 0;
    let m2 = 0;
    for (let b = 0; b < nb; b++) {
      const c = counts[i * nb + b];
      m += c;
      m2 += c * c;
      popMean[b] += c / neurons;
    }
    m /= nb;
    meanVar += m2 / nb - m * m;
  }
  meanVar /= neurons;
  let pm = 0;
  let pm2 = 0;
  for (let b = 0; b < nb; b++) {
    pm += popMean[b];
    pm2 += popMean[b] * popMean[b];
  }
  pm /= nb;
  const popVar = pm2 / nb - pm * pm;
  return meanVar > 0 ? Math.sqrt(Math.max(0, popVar) / meanVar) : null;
}
