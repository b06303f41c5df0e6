/**
 * How often would a per-neuron margin spare an input the look at its target's state? A measurement for a redesign
 * docs/notebooks/kernel-rounds.md discusses, made on the current kernel without changing it. A prototype
 * of that redesign (round 6) was slower: see docs/notebooks/kernel-rounds.md before building it again.
 *
 * The idea: whenever a neuron's pending time tP is set from its state (v0, i_exc, i_inh) at t0, also compute
 *     M = v_th - max over h in [0, tP - t0] of B(h),
 * with B the relaxation bound of models/lif.ts (an upper bound on the free trajectory; convex in z = e^{-h/tau_m},
 * so its maximum is at h = 0 or h = tP - t0). An excitatory input of weight w raises v at every later time by at
 * most w * peak (the PSP peak of a unit current), so while the sum of w * peak since t0 stays below M, no crossing
 * can come before tP and the input need not look at the state at all: it could be added to accumulators (currents
 * as amplitudes scaled to the epoch) in a few bytes per neuron. Inhibitory inputs never need to look (lazy
 * inhibition). When the sum passes M, the input takes the full path, after which M is computed afresh.
 *
 * This wraps the population's heap and input calls to keep those margins alongside the real kernel, and counts
 * the inputs that would take each path. It also checks the argument against the kernel's exact spikes: no neuron
 * may fire before the time tP of a margin claim that no input has exhausted (a spared input leaves the claim as
 * it was, as the redesign would; a look at the state, at a check or on the full path, makes a fresh one). Slow (it
 * wraps the hot path); the counts are the output.
 *
 *     node scripts/ts.mjs scripts/perf/margin.ts [scenario=cuba] [duration_ms=2000] [--set path=value ...]
 */
import { probeNetwork } from './probe-network.js';
import type { Population } from '../../src/neurons/population.js';

const { name, sc, net } = probeNetwork(process.argv.slice(2));
const count = { inputs: 0, fast: 0, full: 0, refractory: 0, inhibitory: 0, unsafe: 0 };

interface LifInternals {
  rec: Float64Array;
  vTh: number;
  vInf: number;
  tauM: number;
  peakE: number;
  peakI: number;
  hypE: number;
  hypI: number;
  deltaE: boolean;
  deltaI: boolean;
}

for (const pop of net.populations.values()) {
  if (pop.model.name !== 'lif') continue;
  const g = pop.group as unknown as LifInternals;
  if (g.deltaE || g.deltaI) throw new Error(`${pop.name}: the margin sketch is for current synapses only`);
  const rem = new Float64Array(pop.size).fill(-Infinity);
  const claimT = new Float64Array(pop.size).fill(-Infinity); // the tP of each neuron's current claim
  const margin = (i: number, tP: number): void => {
    const r = 8 * i;
    const t0 = net.sim.now;
    if (g.rec[r + 4] > t0 || g.rec[r + 3] !== t0) {
      rem[i] = -Infinity; // refractory, or a state not at t0: the full path
      return;
    }
    const [v0, ie, ii] = [g.rec[r], g.rec[r + 1], g.rec[r + 2]];
    const P = (ie > 0 ? ie * g.peakE : 0) + (ii > 0 ? ii * g.peakI : 0);
    const a = (ie < 0 ? -ie * g.hypE : 0) + (ii < 0 ? -ii * g.hypI : 0);
    const z = tP === Infinity ? 0 : Math.exp(-(tP - t0) / g.tauM);
    const bAtP = g.vInf + P + (v0 - g.vInf - a) * z + a * z * z;
    rem[i] = g.vTh - Math.max(bAtP, v0 + P);
    claimT[i] = tP;
  };
  let inInput = false;
  const due = (pop as unknown as { due: { set(i: number, k: number): void } }).due;
  const set0 = due.set.bind(due);
  due.set = (i, k) => {
    set0(i, k);
    if (!inInput) margin(i, k); // inputs: only those past the margin look again (below)
  };
  pop.addListener({
    onSpike(i: number, t: number) {
      if (rem[i] >= 0 && t < claimT[i]) count.unsafe++;
    },
  });
  const input0 = pop.inputMany.bind(pop);
  const looked: number[] = [];
  (pop as Population).inputMany = (post, w, s0, s1, t, receptor) => {
    looked.length = 0;
    for (let s = s0; s < s1; s++) {
      const i = post[s];
      const wi = w.length === 1 ? w[0] : w[s];
      count.inputs++;
      if (g.rec[8 * i + 4] > t) count.refractory++;
      else if (!(wi > 0)) count.inhibitory++;
      else {
        rem[i] -= wi * (receptor === 0 ? g.peakE : g.peakI);
        if (rem[i] >= 0) count.fast++;
        else {
          count.full++;
          looked.push(i);
        }
      }
    }
    inInput = true;
    input0(post, w, s0, s1, t, receptor);
    inInput = false;
    for (const i of looked) margin(i, pop.pending[i]);
  };
}
net.start();
net.run(sc.duration_ms);
const pct = (n: number) => `${((100 * n) / count.inputs).toFixed(1)}%`;
console.log(`${name}, ${sc.duration_ms} ms simulated, ${count.inputs} inputs:`);
console.log(`  inhibitory (never look)        ${pct(count.inhibitory)}`);
console.log(`  excitatory within the margin   ${pct(count.fast)}`);
console.log(`  excitatory past the margin     ${pct(count.full)}   (the full path: fold, bound, maybe solve)`);
console.log(`  to refractory neurons          ${pct(count.refractory)}`);
console.log(`  spikes before an unexhausted claim's tP: ${count.unsafe} (must be 0)`);
