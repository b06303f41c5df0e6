/**
 * Hand-made results folders for the report tests: known spikes, state and weights written with the same CSV
 * writers the runner uses, plus a minimal run.json, so the expected figures can be worked out by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spikesCsv, tableCsv } from '../../src/scenario/csv.js';

export interface FolderSpec {
  durationMs: number;
  /** Population name -> size and spikes as [neuron, t] pairs sorted by time. */
  pops: Record<string, { size: number; spikes: [number, number][] }>;
  state?: { population: string; neurons: number[]; times: number[]; v: (n: number, t: number) => number };
  weights?: { projection: string; pre: number[]; post: number[]; snapshots: { t: number; w: number[] }[] };
  /** Leave out run.json fields a newer runner writes (an "old" folder). */
  old?: boolean;
}

export function writeFolder(dir: string, spec: FolderSpec): void {
  mkdirSync(join(dir, 'spikes'), { recursive: true });
  const populations = Object.entries(spec.pops).map(([name, p]) => ({ name, model: 'lif', size: p.size, params: {}, init: {} }));
  const run = {
    ...(spec.old ? {} : { format: 'chronoprop-results/1', rng: 'test', scenario_sha256: '0'.repeat(64) }),
    name: 'fixture',
    version: '0.0.0',
    seed: 5,
    counts: { spikes: Object.values(spec.pops).reduce((a, p) => a + p.spikes.length, 0), synaptic_events: 0 },
    metrics: { populations: {}, custom: { score: 0.5, list: [1, 2, 3] } },
    timing: { build_s: 0.1, simulate_s: 0.2, total_s: 0.3 },
    scenario: { name: 'fixture', description: 'A <hand-made> folder.', seed: 5, duration_ms: spec.durationMs, experiment: 'network', populations },
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
  for (const [name, p] of Object.entries(spec.pops)) {
    const tr = { neuron: Int32Array.from(p.spikes.map((s) => s[0])), t: Float64Array.from(p.spikes.map((s) => s[1])) };
    writeFileSync(join(dir, 'spikes', `${name}.csv`), spikesCsv(tr));
  }
  if (spec.state) {
    const { population, neurons, times, v } = spec.state;
    const rows = times.flatMap((t) => neurons.map((n) => [t, n, v(n, t)]));
    mkdirSync(join(dir, 'state'), { recursive: true });
    const cols = [0, 1, 2].map((c) => Float64Array.from(rows.map((r) => r[c])));
    writeFileSync(join(dir, 'state', `${population}.csv`), tableCsv(['t_ms', 'neuron', 'v_mv'], cols));
  }
  if (spec.weights) {
    const { projection, pre, post, snapshots } = spec.weights;
    mkdirSync(join(dir, 'weights'), { recursive: true });
    const last = snapshots[snapshots.length - 1].w;
    writeFileSync(join(dir, 'weights', `${projection}.csv`), tableCsv(['pre', 'post', 'weight_mv'], [Int32Array.from(pre), Int32Array.from(post), Float64Array.from(last)]));
    const s = snapshots.flatMap((sn) => sn.w.map((w, k) => [sn.t, pre[k], post[k], w]));
    const cols = [0, 1, 2, 3].map((c) => Float64Array.from(s.map((r) => r[c])));
    writeFileSync(join(dir, 'weights', `${projection}.series.csv`), tableCsv(['t_ms', 'pre', 'post', 'weight_mv'], cols));
  }
}

/** Number of drawn marks in the data-mark group of a Vega SVG (axes, legends and titles excluded). */
export function markCount(svg: string, kind = 'rect'): number {
  let n = 0;
  const open = `<g class="mark-${kind} role-mark`;
  for (let i = svg.indexOf(open); i >= 0; i = svg.indexOf(open, i + 1)) {
    const end = svg.indexOf('</g>', i);
    n += (svg.slice(i, end).match(/<path /g) ?? []).length;
  }
  return n;
}
