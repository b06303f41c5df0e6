/**
 * Runs one resolved scenario in chronoprop, alone in its process, and writes what brian_run.py writes, so that the
 * accuracy comparison reads both simulators the same way:
 *
 *     node scripts/ts.mjs scripts/peer/chronoprop-run.ts SCENARIO.json OUT [--network DIR] [--warmup]
 *
 * OUT/timing.json: build_s (construct + start, wall), sim_s (the run, wall), sim_cpu_s (the run, CPU: user +
 * system, process.cpuUsage); OUT/<pop>.ids.i32 and OUT/<pop>.t_ms.f64 per lif population (perf/spike-files.ts).
 * With --network, the built network is exported there before the run (perf/network-files.ts) for Brian2.
 *
 * With --warmup, the same scenario is first built and run once untimed in the same process, on a network of its
 * own, so that the timed run finds the code compiled by V8's JIT: the counterpart of Brian2's runtime targets,
 * timed after a 0 ms run has compiled or loaded their code (brian_run.py). timing.json then also holds
 * first_sim_cpu_s (the warm-up run's CPU: what a fresh process pays) and jit_s = first_sim_cpu_s - sim_cpu_s.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/load.js';
import { Network } from '../../src/scenario/network.js';
import { neuronModels } from '../../models/index.js';
import { writeSpikes } from '../perf/spike-files.js';
import { writeNetwork } from '../perf/network-files.js';

const args = process.argv.slice(2);
const warmup = args.includes('--warmup');
const [file, out, flag, networkDir] = args.filter((a) => a !== '--warmup');
if (!file || !out || (flag !== undefined && (flag !== '--network' || !networkDir))) {
  console.error('usage: chronoprop-run.ts SCENARIO.json OUT [--network DIR] [--warmup]');
  process.exit(2);
}
const sc = loadScenario(JSON.parse(readFileSync(file, 'utf8')) as object);
const cpu = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => (b.user - a.user + b.system - a.system) / 1e6;
/** The untimed warm-up run's CPU, on a network of its own that is garbage once this returns. */
function warmupRun(): number {
  const first = new Network(sc);
  first.start();
  const c0 = process.cpuUsage();
  first.run(sc.duration_ms);
  return cpu(c0, process.cpuUsage());
}
const firstCpu = warmup ? warmupRun() : null;
const t0 = performance.now();
const net = new Network(sc);
net.start();
const t1 = performance.now();
if (networkDir) writeNetwork(net, networkDir);
const c1 = process.cpuUsage();
const w1 = performance.now();
net.run(sc.duration_ms);
const w2 = performance.now();
const c2 = process.cpuUsage();
mkdirSync(out, { recursive: true });
const spikes: Record<string, number> = {};
for (const p of sc.populations) {
  if (!(p.model in neuronModels)) continue;
  const tr = net.spikes.get(p.name)!.sorted();
  writeSpikes(out, p.name, tr);
  spikes[p.name] = tr.t.length;
}
const timing = {
  simulator: 'chronoprop',
  build_s: (t1 - t0) / 1e3,
  sim_s: (w2 - w1) / 1e3,
  sim_cpu_s: cpu(c1, c2),
  ...(firstCpu === null ? {} : { first_sim_cpu_s: firstCpu, jit_s: firstCpu - cpu(c1, c2) }),
  duration_ms: sc.duration_ms,
  events: net.deliveredCount,
  spikes,
};
writeFileSync(join(out, 'timing.json'), `${JSON.stringify(timing, null, 2)}\n`);
console.log(JSON.stringify(timing));
