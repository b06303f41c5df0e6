/**
 * Micro-benchmark of the LIF input loop alone (LifGroup.inputMany, models/lif.ts): CUBA's excitatory neuron, delivery
 * groups of 40 random targets every 0.0225 ms (CUBA's 44,600 groups per simulated second), one in five inhibitory
 * (-9 mV, the rest +1.62 mV), and every neuron whose pending time has passed re-predicted at the end of each pass.
 * Prints CPU ns per input. docs/notebooks/kernel-rounds.md quotes it (round 5) for 400, 4,000 and 40,000 neurons:
 * the time per input grows with the neurons' records leaving the caches.
 *
 *     node scripts/ts.mjs scripts/perf/input-loop.ts [neurons=4000] [passes=20]
 *
 * A benchmark, never a test: run it on a quiet machine, several times, and compare medians.
 */
import { lif } from '../../models/lif.js';
import { resolveParams } from '../../src/scenario/params.js';
import { loadScenario } from '../../src/scenario/load.js';
import { createRng } from '../../src/kernel/rng.js';

const N = Number(process.argv[2] ?? 4000);
const passes = Number(process.argv[3] ?? 20);
if (!(Number.isInteger(N) && N > 0 && Number.isInteger(passes) && passes > 0)) {
  console.error(`error: usage: input-loop.ts [neurons > 0] [passes > 0], got ${process.argv.slice(2).join(' ')}`);
  process.exit(2);
}
const exc = loadScenario('cuba', {}).populations.find((p) => p.name === 'exc')!;
const g = lif.create(N, resolveParams(lif.params, exc.params as Record<string, number>));
const rng = createRng(1, 'input-loop');
for (let i = 0; i < N; i++) g.state.v_mv.set(i, -60 + 10 * rng.uniform());
const G = 20000;
const K = 40;
const post = new Int32Array(G * K);
const w = new Float64Array(G * K);
for (let s = 0; s < post.length; s++) post[s] = rng.int(N);
for (let k = 0; k < G; k++) {
  post.subarray(k * K, k * K + K).sort(); // as a projection stores a group: targets in increasing order
  w.fill(k % 5 === 4 ? -9 : 1.62, k * K, k * K + K);
}
const pending = new Float64Array(N);
for (let i = 0; i < N; i++) pending[i] = g.predict(i, 0);
const changed = new Int32Array(K);
const changedAt = new Float64Array(K);
let t = 0;
const pass = () => {
  for (let k = 0; k < G; k++) {
    t += 0.0225;
    const n = g.inputMany(post, w, k * K, k * K + K, t, k % 5 === 4 ? 1 : 0, pending, changed, changedAt);
    for (let c = 0; c < n; c++) pending[changed[c]] = changedAt[c];
  }
  for (let i = 0; i < N; i++) if (pending[i] <= t) pending[i] = g.atThreshold(i, t) ? g.fire(i, t) : g.predict(i, t);
};
pass(); // warm-up: let the JIT optimize before timing
const c0 = process.cpuUsage();
for (let r = 0; r < passes; r++) pass();
const c = process.cpuUsage(c0);
const inputs = passes * G * K;
const ns = ((c.user + c.system) * 1e3) / inputs;
console.log(`input-loop: ${N} neurons, ${inputs} inputs, ${ns.toFixed(1)} CPU ns per input`);
