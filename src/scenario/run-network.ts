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
 * Recorders in bounded memory (ctx.spill, given by the runner): each spike recorder holds at most ctx.spill.chunk
 * spikes, each state or weight recorder at most a chunk of samples, and they append the rest to files in
 * ctx.spill.dir (recording/spill.ts); rates, CV and synchrony are computed in one streaming pass over the spikes
 * (analysis/spike-stats.ts), and the spike CSVs, spikes.h5 and the state and weight series are written by streaming
 * too (result.streamed, result.spikes; record-files.ts). Without ctx.spill everything stays in memory and those files
 * are in `files`.
 *
 * Checkpoints (ctx.checkpoint): the run is cut at k * every simulated ms (k = 1, 2, ... while before duration_ms),
 * and the network's whole state is written at each cut, between events. Running [0, a) then [a, b) is running
 * [0, b) (kernel/simulation.ts), so the files are the same with checkpoints, without, and resumed from one. The
 * runner's run (simulateNetworkInterruptible) also cuts between the checkpoints, into slices of about 50 ms of wall
 * time, whose ends are safe points: SIGINT or SIGTERM there writes a checkpoint at that time and stops the run.
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
import { csvAtLeast, requireFiniteState, requireFiniteWeights, stateFiles, weightSeriesFiles } from './record-files.js';
import { sampleChunkFor } from '../recording/spill.js';
import { ScenarioError } from './errors.js';
import { SAFE_POINT_MS } from './interrupt.js';
import type { StateWriter } from '../kernel/state-io.js';
import { requireFinite, requireFiniteMetrics } from './finite.js';
import { oneThreadBecause, windowOf } from './windowed.js';
import { runThreaded } from './threads.js';
import type { SynapseTable } from './partition-synapses.js';

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

/** A streamed file's pieces joined into one (a recorder that kept everything in memory). */
function joined(f: StreamedFile): OutputFile {
  const pieces: (string | Uint8Array)[] = [];
  f.write((p) => pieces.push(p));
  return { path: f.path, data: pieces.every((p) => typeof p === 'string') ? pieces.join('') : Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))) };
}

/** Builds and runs the network; other experiments reuse it and add their own metrics and files. */
export function simulateNetwork(sc: Scenario, ctx: ExperimentContext): NetworkRun {
  const run = begin(sc, ctx);
  try {
    for (const _ of advance(run.net, sc, ctx, false)); // not sliced: no safe points come
    return finish(run, sc, ctx);
  } finally {
    run.close();
  }
}

/**
 * simulateNetwork as the runner runs it: with checkpoints whose hooks take safe points, the simulation runs in
 * slices of about SAFE_POINT_MS of wall time, and the end of each is a safe point, where SIGINT or SIGTERM stop the
 * run with a checkpoint (interrupt.ts); the end of the simulation is one too.
 */
export async function simulateNetworkInterruptible(sc: Scenario, ctx: ExperimentContext): Promise<NetworkRun> {
  const ck = ctx.checkpoint;
  const run = begin(sc, ctx);
  try {
    if (ck?.safePoint) {
      for (const p of advance(run.net, sc, ctx, true)) await ck.safePoint(p.position, p.fill);
      await ck.endSafePoints?.();
    } else for (const _ of advance(run.net, sc, ctx, false));
    return finish(run, sc, ctx);
  } finally {
    run.close();
  }
}

interface Begun {
  net: Network;
  /** When the build began and when the simulation began (performance.now()). */
  t0: number;
  t1: number;
  /** Closes the recorders' spill files. */
  close(): void;
}

/** The recorders spill where ctx.spill says; returns what closes their files. */
function spillRecorders(net: Network, ctx: ExperimentContext): () => void {
  const spill = ctx.spill;
  if (spill) {
    for (const [name, rec] of net.spikes) rec.spillTo(join(spill.dir, name), spill.chunk);
    net.state.forEach((r, k) => r.spillTo(join(spill.dir, 'state', String(k)), sampleChunkFor(r.record.recordBytes, spill.samples)));
    net.weights.forEach((r, k) => r.spillTo(join(spill.dir, 'weights', String(k)), sampleChunkFor(r.record.recordBytes, spill.samples)));
  }
  return () => {
    for (const rec of net.spikes.values()) rec.close();
    for (const rec of [...net.state, ...net.weights]) rec.record.close();
  };
}

/** Builds the network, its recorders spilling where ctx.spill says, and starts it or loads the checkpoint. */
function begin(sc: Scenario, ctx: ExperimentContext): Begun {
  const t0 = performance.now();
  const net = new Network(sc);
  const ck = ctx.checkpoint;
  const no = ck ? net.uncheckpointable : [];
  if (no.length > 0) throw new ScenarioError([`checkpoints need models that can save their state; not: ${no.join(', ')}`]);
  const close = spillRecorders(net, ctx);
  try {
    if (ck?.resume) net.loadState(ck.resume.scope('network'));
    else net.start();
  } catch (e) {
    close();
    throw e;
  }
  return { net, t0, t1: performance.now(), close };
}

/** A safe point: where the run stands, and what a checkpoint there writes. */
interface SafePoint {
  position: number;
  fill: (w: StateWriter) => void;
}

/** Simulated ms of the first slice; the next ones are scaled to take about SAFE_POINT_MS of wall time each. */
const FIRST_SLICE_MS = 0.5;

/**
 * Simulates [now, duration_ms), writing a checkpoint at each cut k * every (ctx.checkpoint). `sliced`: runs in
 * slices and yields a safe point after each that ends before a cut, and one at the end. Cutting anywhere changes
 * nothing (running [0, a) then [a, b) is running [0, b)).
 */
function* advance(net: Network, sc: Scenario, ctx: ExperimentContext, sliced: boolean): Generator<SafePoint, void, void> {
  const ck = ctx.checkpoint;
  const total = sc.duration_ms;
  const onChunk = ctx.onProgress ? (now: number) => ctx.onProgress!(now, total, 'ms') : undefined;
  ctx.onProgress?.(net.sim.now, total, 'ms');
  // A checkpoint holds the last cut taken, so that a run resumed from it (at a cut or between two) cuts where the
  // first one did: the cuts are k * every for whole k (not sums of every).
  const here = (cut: number): SafePoint => ({
    position: net.sim.now,
    fill: (w) => {
      w.num('cut', cut);
      net.saveState(w.scope('network'));
    },
  });
  let slice = FIRST_SLICE_MS;
  function* runTo(until: number, cut: number): Generator<SafePoint, void, void> {
    while (sliced && net.sim.now < until) {
      const from = net.sim.now;
      const end = from + slice < until && from + slice > from ? from + slice : until;
      const w0 = performance.now();
      net.run(end, onChunk);
      slice *= Math.min(2, Math.max(0.25, SAFE_POINT_MS / Math.max(performance.now() - w0, 0.01)));
      if (end < until) yield here(cut);
    }
    net.run(until, onChunk);
  }
  let cut = ck?.resume ? ck.resume.num('cut') : 0;
  if (ck) {
    for (let k = cut + 1; k * ck.every < total; k++) {
      yield* runTo(k * ck.every, cut);
      ck.save(k * ck.every, here(k).fill);
      cut = k;
    }
  }
  yield* runTo(total, cut);
  ctx.onProgress?.(total, total, 'ms');
  // The end of the simulation: a checkpoint here resumes straight to writing the results.
  if (sliced) yield here(cut);
}

/**
 * simulateNetwork on ctx.threads threads (threads.ts), or, when the scenario cannot run in partitions or
 * checkpoints are asked for, on one thread as usual, with a note saying why. No safe points: a threaded run is not
 * interrupted with a checkpoint.
 */
export async function simulateNetworkThreaded(sc: Scenario, ctx: ExperimentContext & { threads: number }): Promise<NetworkRun> {
  const why = oneThreadBecause(sc, ctx.checkpoint !== undefined);
  if (why !== null) {
    const run = await simulateNetworkInterruptible(sc, ctx);
    run.result.notes = [`--threads ${ctx.threads}: the network runs on one thread: ${why}`];
    return run;
  }
  const t0 = performance.now();
  let t1 = t0;
  let close = () => {};
  const total = sc.duration_ms;
  const windowMs = windowOf(sc).ms;
  ctx.onProgress?.(0, total, 'ms');
  try {
    const built = (net: Network) => {
      close = spillRecorders(net, ctx);
      t1 = performance.now();
    };
    const onWindow = ctx.onProgress ? (end: number) => ctx.onProgress!(end, total, 'ms') : undefined;
    const run = await runThreaded(sc, ctx.threads, windowMs, built, onWindow);
    const done = finish({ net: run.net, t0, t1, close }, sc, ctx, run.delivered, run.plastic);
    const on = run.threads === 1 ? (ctx.threads === 1 ? 'one thread' : `one thread, one after another (no worker entry: running from sources)`) : `${run.threads} threads`;
    done.result.notes = [`--threads ${ctx.threads}: ${ctx.threads} partition${ctx.threads === 1 ? '' : 's'} on ${on}, in windows of ${windowMs} ms`];
    return done;
  } finally {
    close();
  }
}

/**
 * The metrics and files of a simulated network. A threaded run gives the synaptic events of every partition
 * (`delivered`) and every plastic projection's synapses merged from them (`merged`), where its network holds only
 * partition 0's.
 */
function finish(
  { net, t0, t1 }: Begun,
  sc: Scenario,
  ctx: ExperimentContext,
  delivered = net.deliveredCount,
  merged?: ReadonlyMap<string, SynapseTable>,
): NetworkRun {
  const total = sc.duration_ms;
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
    else streamed.push({ path: `spikes/${name}.csv`, size: csvAtLeast(['neuron', 't_ms'], rec.count), write: (emit) => writeSpikesCsv(rec.slices(), emit) });
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
    const { pre, post, weight } = merged?.get(name) ?? { pre: proj.synapsePre(), post: proj.post, weight: proj.weight };
    requireFinite(weight, `final weights of projection ${name}: weight_mv`, (k) => `for synapse ${pre[k]} -> ${post[k]}`);
    files.push({ path: `weights/${name}.csv`, data: tableCsv(['pre', 'post', 'weight_mv'], [pre, post, weight]) });
    files.push({
      path: `weights/${name}.npy`,
      data: npyTable(weight.length, [
        { name: 'pre', data: pre },
        { name: 'post', data: post },
        { name: 'weight_mv', data: weight },
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
      counts: { spikes: net.spikeCount, synaptic_events: delivered },
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
  run: async (sc, ctx) => {
    if (sc.mode === 'rate') return simulateRateNetwork(sc, ctx).result;
    const { threads } = ctx;
    return (await (threads === undefined ? simulateNetworkInterruptible(sc, ctx) : simulateNetworkThreaded(sc, { ...ctx, threads }))).result;
  },
};
