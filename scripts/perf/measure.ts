/**
 * One benchmark measurement, meant to run alone in its process (`node dist/bench.js --one <workload>`), so that the
 * peak resident memory is this workload's.
 *
 * It builds the scenario's network exactly as `chronoprop run` does (Network; timing as in simulateNetwork: build =
 * construct + start, simulate = the run), records spikes of the neuron populations only (no state, no weight series,
 * no CSV output, so nothing but the kernel is timed) and reports:
 *     build and simulate time, wall (performance.now) and CPU (process.cpuUsage, user + system);
 *     bio_s_per_wall_s = duration / simulate time;   events_per_s = delivered synaptic events / simulate time;
 *     per population: rate (Hz), mean ISI CV (spike-stats.ts) and, for runs of 2 s or more, the rate in each second;
 *     memory: networkMemory (typed arrays by part) and process.resourceUsage().maxRSS.
 * A workload's `env` is set in this process before the network is built (the process is the workload's alone).
 * A workload with `threads` runs as `chronoprop run --threads` does (its memory account is partition 0's; CPU time
 * counts every thread of the process; no network is written for it: partition 0 holds only its share). With
 * `spikesDir` it also writes each population's spikes (spike-files.ts, the format scripts/peer/brian_run.py writes)
 * for the Brian2 comparison; with `networkDir`, the built network (network-files.ts), written after the build is
 * timed and before the simulation is.
 */
import { mkdirSync } from 'node:fs';
import { loadScenario } from '../../src/scenario/load.js';
import { Network } from '../../src/scenario/network.js';
import { networkMemory, type MemoryAccount } from '../../src/scenario/memory.js';
import { spikeStats } from '../../src/analysis/spike-stats.js';
import type { SpikeTrains } from '../../src/recording/spikes.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { neuronModelKinds, neuronModels } from '../../models/index.js';
import type { Workload } from './workloads.js';
import { writeSpikes } from './spike-files.js';
import { writeNetwork } from './network-files.js';
import { runThreaded } from '../../src/scenario/threads.js';
import { windowOf } from '../../src/scenario/windowed.js';

export interface PopulationMeasure {
  neurons: number;
  spikes: number;
  rate_hz: number;
  cv_isi: number | null;
  /** Rate in each whole second of simulated time (runs of 2 s or more). */
  rate_by_second_hz?: number[];
}

export interface Measurement {
  workload: string;
  /** Threads it ran on (Workload.threads); absent: the classic one-thread loop. */
  threads?: number;
  /** The workload it is compared with (Workload.baseline), if any. */
  baseline?: string;
  scenario: string;
  seed: number;
  set: string[];
  duration_ms: number;
  neurons: number;
  build_s: number;
  simulate_s: number;
  /** CPU time (user + system, all threads of the process): less sensitive than wall time to a busy machine. */
  build_cpu_s: number;
  simulate_cpu_s: number;
  bio_s_per_wall_s: number;
  synaptic_events: number;
  events_per_s: number;
  spikes: number;
  populations: Record<string, PopulationMeasure>;
  memory: MemoryAccount;
  peak_rss_mb: number;
}

/** The scenario a workload runs: its overrides and duration applied, recording cut down to neuron spikes. */
export function workloadScenario(w: Workload, seed?: number): Scenario {
  const sc = loadScenario(w.scenario, { set: [...w.set, `duration_ms=${w.duration_ms}`], seed });
  const neuronPops = sc.populations.filter((p) => p.model in neuronModels || p.model in neuronModelKinds);
  sc.record = { spikes: neuronPops.map((p) => p.name), state: [], weights: [] };
  return sc;
}

/** Spike rates in whole bins of `binMs` over [0, duration). */
export function binnedRates(tr: SpikeTrains, size: number, durationMs: number, binMs: number): number[] {
  const nb = Math.floor(durationMs / binMs);
  const counts = new Float64Array(nb);
  for (let k = 0; k < tr.t.length; k++) {
    const b = Math.floor(tr.t[k] / binMs);
    if (b >= 0 && b < nb) counts[b]++;
  }
  return Array.from(counts, (c) => c / size / (binMs * 1e-3));
}

export async function measure(w: Workload, opts: { seed?: number; spikesDir?: string; networkDir?: string } = {}): Promise<Measurement> {
  // This process runs this workload alone (child.ts), so its environment can be the workload's.
  for (const [k, v] of Object.entries(w.env ?? {})) process.env[k] = v;
  const sc = workloadScenario(w, opts.seed);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let net: Network;
  let t1: number;
  let c1: NodeJS.CpuUsage;
  let events: number;
  if (w.threads !== undefined) {
    // Every partition is built when onBuilt comes (threads.ts): the simulation's timing starts there.
    t1 = t0;
    c1 = c0;
    const run = await runThreaded(sc, w.threads, windowOf(sc).ms, () => {
      t1 = performance.now();
      c1 = process.cpuUsage();
    });
    net = run.net;
    events = run.delivered;
  } else {
    net = new Network(sc);
    net.start();
    t1 = performance.now();
    if (opts.networkDir) writeNetwork(net, opts.networkDir); // before the run, so it holds the initial state
    c1 = process.cpuUsage();
    net.run(sc.duration_ms);
    events = net.deliveredCount;
  }
  const t2 = performance.now();
  const c2 = process.cpuUsage();
  const simulate_s = (t2 - t1) / 1e3;
  const cpu = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => (b.user - a.user + b.system - a.system) / 1e6;
  const populations: Record<string, PopulationMeasure> = {};
  let spikes = 0;
  let neurons = 0;
  if (opts.spikesDir) mkdirSync(opts.spikesDir, { recursive: true });
  for (const [name, pop] of net.populations) {
    const tr = net.spikes.get(name)!.sorted();
    const st = spikeStats(tr, pop.size, 0, sc.duration_ms);
    populations[name] = { neurons: pop.size, spikes: st.spikes, rate_hz: st.rate_hz, cv_isi: st.cv_isi };
    if (sc.duration_ms >= 2000) populations[name].rate_by_second_hz = binnedRates(tr, pop.size, sc.duration_ms, 1000);
    spikes += st.spikes;
    neurons += pop.size;
    if (opts.spikesDir) {
      writeSpikes(opts.spikesDir, name, tr);
    }
  }
  return {
    workload: w.name,
    ...(w.threads !== undefined ? { threads: w.threads } : {}),
    ...(w.baseline ? { baseline: w.baseline } : {}),
    scenario: w.scenario,
    seed: sc.seed,
    set: w.set,
    duration_ms: sc.duration_ms,
    neurons,
    build_s: (t1 - t0) / 1e3,
    simulate_s,
    build_cpu_s: cpu(c0, c1),
    simulate_cpu_s: cpu(c1, c2),
    bio_s_per_wall_s: sc.duration_ms / 1e3 / simulate_s,
    synaptic_events: events,
    events_per_s: events / simulate_s,
    spikes,
    populations,
    memory: networkMemory(net),
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}
