/**
 * The `network` experiment: build the scenario's network, simulate [0, duration_ms), and write what was recorded:
 * spikes/<population>.csv (neuron,t_ms), state/<population>.csv (t_ms,neuron,<vars>), weights/<projection>.csv
 * (pre,post,weight_mv: final weights, always for plastic projections) and weights/<projection>.series.csv
 * (t_ms,pre,post,weight_mv) when weights are recorded. Metrics: rate, ISI CV and synchrony per population.
 * With `mode: "rate"` the rate-coded twin runs instead (run-rate.ts).
 *
 * The dense tables also go out as NumPy files beside the CSVs (formats/npy.ts), as structured arrays:
 * state/<population>.npy, one record per sample time: t_ms, neuron (n,), and each variable (n,) for the n recorded
 * neurons; weights/<projection>.npy, one record per synapse: pre, post, weight_mv (the rows of the CSV);
 * weights/<projection>.series.npy, one record per snapshot: t_ms and weight_mv (s,) in the synapse order of
 * weights/<projection>.npy. Spike trains go to the runner, which writes them as SONATA spikes.h5.
 *
 * Spikes in bounded memory (ctx.spill, given by the runner): each recorder holds at most ctx.spill.chunk spikes and
 * appends the rest to files in ctx.spill.dir (recording/spikes.ts); rates, CV and synchrony are computed in one
 * streaming pass over them (analysis/spike-stats.ts), and the spike CSVs and spikes.h5 are written by streaming too
 * (result.streamed, result.spikes). Without ctx.spill every spike stays in memory and the CSVs are strings in `files`.
 *
 * Checkpoints (ctx.checkpoint): the run is cut at k * every simulated ms (k = 1, 2, ... while before duration_ms),
 * and the network's whole state is written at each cut, between events. Running [0, a) then [a, b) is running
 * [0, b) (kernel/simulation.ts), so the files are the same with checkpoints, without, and resumed from one.
 */
import { z } from 'zod';
import { Network } from './network.js';
import type { Scenario } from './schema.js';
import type { Experiment, ExperimentContext, OutputFile, RunResult, StreamedFile } from './experiment.js';
import { spikesCsv, tableCsv, writeSpikesCsv } from './csv.js';
import { join } from 'node:path';
import { simulateRateNetwork } from './run-rate.js';
import { SpikeStatsAccumulator, type PopulationStats } from '../analysis/spike-stats.js';
import type { SpikeRecorder } from '../recording/spikes.js';
import { npyTable } from '../formats/npy.js';
import { requireFiniteState, requireFiniteWeights, stateFiles, weightSeriesFiles } from './record-files.js';
import { sampleChunkFor } from '../recording/spill.js';
import { ScenarioError } from './errors.js';
import { requireFinite, requireFiniteMetrics } from './finite.js';

/** The network experiment's result: its metrics are typed. */
export interface NetworkResult extends RunResult {
  metrics: { populations: Record<string, PopulationStats> };
  /** The recorders: `sorted()` gives a population's spikes in memory, `slices()` streams them. */
  spikes: ReadonlyMap<string, SpikeRecorder>;
}

export interface NetworkRun {
  net: Network;
  result: NetworkResult;
}

/** Builds and runs the network; other experiments reuse it and add their own metrics and files. */
/** A streamed file's pieces joined into one (a recorder that kept everything in memory). */
function joined(f: StreamedFile): OutputFile {
  const pieces: (string | Uint8Array)[] = [];
  f.write((p) => pieces.push(p));
  return { path: f.path, data: pieces.every((p) => typeof p === 'string') ? pieces.join('') : Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))) };
}

export function simulateNetwork(sc: Scenario, ctx: ExperimentContext): NetworkRun {
  const t0 = performance.now();
  const net = new Network(sc);
  const ck = ctx.checkpoint;
  const no = ck ? net.uncheckpointable : [];
  if (no.length > 0) throw new ScenarioError([`checkpoints need models that can save their state; not: ${no.join(', ')}`]);
  const spill = ctx.spill;
  if (spill) {
    for (const [name, rec] of net.spikes) rec.spillTo(join(spill.dir, name), spill.chunk);
    net.state.forEach((r, k) => r.spillTo(join(spill.dir, 'state', String(k)), sampleChunkFor(r.record.recordBytes, spill.samples)));
    net.weights.forEach((r, k) => r.spillTo(join(spill.dir, 'weights', String(k)), sampleChunkFor(r.record.recordBytes, spill.samples)));
  }
  try {
    return simulate(net, sc, ctx, t0);
  } finally {
    for (const rec of net.spikes.values()) rec.close();
    for (const rec of [...net.state, ...net.weights]) rec.record.close();
  }
}

function simulate(net: Network, sc: Scenario, ctx: ExperimentContext, t0: number): NetworkRun {
  const ck = ctx.checkpoint;
  if (ck?.resume) net.loadState(ck.resume.scope('network'));
  else net.start();
  const t1 = performance.now();
  const total = sc.duration_ms;
  const onChunk = ctx.onProgress ? (now: number) => ctx.onProgress!(now, total, 'ms') : undefined;
  ctx.onProgress?.(net.sim.now, total, 'ms');
  if (ck) {
    // The cuts are k * every for whole k (not sums of every), so a resumed run cuts where the first one did.
    for (let k = ck.resume ? ck.resume.num('cut') + 1 : 1; k * ck.every < total; k++) {
      net.run(k * ck.every, onChunk);
      ck.save(k * ck.every, (w) => {
        w.num('cut', k);
        net.saveState(w.scope('network'));
      });
    }
  }
  net.run(total, onChunk);
  ctx.onProgress?.(total, total, 'ms');
  const t2 = performance.now();
  const files: OutputFile[] = [];
  const streamed: StreamedFile[] = [];
  const populations: Record<string, PopulationStats> = {};
  for (const [name, rec] of net.spikes) {
    // In memory: sorted once. Spilled: one streaming pass here, one for the CSV, two for spikes.h5.
    const tr = ctx.spill ? null : rec.sorted();
    const stats = new SpikeStatsAccumulator(net.emitters.get(name)!.size, 0, total);
    for (const s of tr ? [tr] : rec.slices()) {
      requireFinite(s.t, `spike recorder ${name}: t_ms`, (k) => `for neuron ${s.neuron[k]}`);
      stats.add(s);
    }
    if (tr) files.push({ path: `spikes/${name}.csv`, data: spikesCsv(tr) });
    else streamed.push({ path: `spikes/${name}.csv`, write: (emit) => writeSpikesCsv(rec.slices(), emit) });
    populations[name] = stats.result();
  }
  requireFiniteMetrics(populations, 'metrics.populations');
  // State and weight series: streamed from the recorders' chunks when they spilled, else joined into `files`.
  const add = (f: StreamedFile[]) => (ctx.spill ? streamed.push(...f) : files.push(...f.map(joined)));
  for (const r of net.state) {
    requireFiniteState(r);
    add(stateFiles(r));
  }
  for (const [name, proj] of net.projections) {
    if (!net.rules.has(name) && !net.weights.some((w) => w.projection === proj)) continue;
    const pre = proj.synapsePre();
    requireFinite(proj.weight, `final weights of projection ${name}: weight_mv`, (k) => `for synapse ${pre[k]} -> ${proj.post[k]}`);
    files.push({ path: `weights/${name}.csv`, data: tableCsv(['pre', 'post', 'weight_mv'], [pre, proj.post, proj.weight]) });
    files.push({
      path: `weights/${name}.npy`,
      data: npyTable(proj.count, [
        { name: 'pre', data: pre },
        { name: 'post', data: proj.post },
        { name: 'weight_mv', data: proj.weight },
      ]),
    });
  }
  for (const w of net.weights) {
    const pre = w.projection.synapsePre();
    requireFiniteWeights(w, pre);
    add(weightSeriesFiles(w, pre));
  }
  return {
    net,
    result: {
      metrics: { populations },
      counts: { spikes: net.spikeCount, synaptic_events: net.deliveredCount },
      timing: { build_s: (t1 - t0) / 1e3, simulate_s: (t2 - t1) / 1e3 },
      files,
      streamed,
      spikes: net.spikes,
    },
  };
}

export const networkExperiment: Experiment = {
  summary: 'build the network, simulate duration_ms, record spikes, state and weights',
  /** None: a setting given to a plain network is a mistake (a misspelt experiment, a field in the wrong place). */
  settings: z.strictObject({}),
  checkpointUnit: (sc) => (sc.mode === 'rate' ? null : 'ms'),
  run: async (sc, ctx) => (sc.mode === 'rate' ? simulateRateNetwork(sc, ctx).result : simulateNetwork(sc, ctx).result),
};
