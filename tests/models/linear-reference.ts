/**
 * A deliberately naive reference for linear neuron models: classical Runge-Kutta (RK4) on a fine grid between
 * inputs, a threshold crossing detected at a step's end and located by bisection on the step's length (one RK4 step
 * from the step's start each time), resets and refractoriness applied by hand. It shares no code with the
 * simulator (no matrix exponential, no eigenvalues, no root isolation, no event queue): its error is RK4's,
 * O((dt / tau)^4) per unit time, about 1e-10 mV at dt = 0.005 ms for time constants of a few ms, so spike times
 * agree to about 1e-8 ms when the crossing is not tangential.
 */
import { createRng } from '../../src/kernel/rng.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';

export interface ReferenceModel {
  /** x' = A x + c. */
  A: number[][];
  c: number[];
  th: number;
  theta: number;
  /** Applied in order at a spike. */
  reset: (x: number[]) => void;
  refractoryMs: number;
  /** State index jumped by each receptor. */
  receptors: number[];
}

export interface Input {
  t: number;
  w: number;
  r: number;
}

function deriv(m: ReferenceModel, x: number[], held: boolean): number[] {
  return m.A.map((row, i) => (held && i === m.th ? 0 : row.reduce((s, a, j) => s + a * x[j], m.c[i])));
}

function rk4(m: ReferenceModel, x: number[], h: number, held: boolean): number[] {
  const add = (a: number[], b: number[], s: number) => a.map((v, i) => v + s * b[i]);
  const k1 = deriv(m, x, held);
  const k2 = deriv(m, add(x, k1, h / 2), held);
  const k3 = deriv(m, add(x, k2, h / 2), held);
  const k4 = deriv(m, add(x, k3, h), held);
  return x.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
}

/** Spike times in [0, T) of one neuron from state x0, for inputs sorted by time. */
export function referenceSpikes(m: ReferenceModel, x0: number[], inputs: Input[], T: number, dt = 0.005): number[] {
  const spikes: number[] = [];
  let x = [...x0];
  let t = 0;
  let refEnd = -Infinity;
  const fire = (ts: number) => {
    spikes.push(ts);
    m.reset(x);
    refEnd = ts + m.refractoryMs;
  };
  const evs = [...inputs, { t: T, w: 0, r: -1 }];
  for (let e = 0; e < evs.length; e++) {
    const ev = evs[e];
    while (t < ev.t) {
      // Step to the next grid point, input or end of the refractory period, whichever comes first.
      let h = Math.min(dt, ev.t - t);
      const held = refEnd > t;
      if (held && refEnd - t < h) h = refEnd - t;
      const next = rk4(m, x, h, held);
      if (!held && next[m.th] >= m.theta) {
        let lo = 0;
        let hi = h;
        for (let k = 0; k < 100 && hi - lo > 1e-14; k++) {
          const mid = 0.5 * (lo + hi);
          if (rk4(m, x, mid, false)[m.th] >= m.theta) hi = mid;
          else lo = mid;
        }
        x = rk4(m, x, hi, false);
        t += hi;
        fire(t);
        continue;
      }
      x = next;
      t += h;
      if (held && Math.abs(t - refEnd) < 1e-12) t = refEnd;
    }
    if (ev.r < 0) break;
    const target = m.receptors[ev.r];
    if (refEnd > t && target === m.th) continue;
    x[target] += ev.w;
    // Inputs at one instant are summed before the threshold is tested.
    const last = e + 1 >= evs.length - 1 || evs[e + 1].t !== ev.t;
    if (last && !(refEnd > t) && x[m.th] >= m.theta) fire(t);
  }
  return spikes.filter((s) => s < T);
}

/**
 * Random input trains for one neuron: six excitatory and two inhibitory sources (about 670 Hz each), each through one
 * synapse of a fixed random weight and no delay, so that the reference sees exactly the same inputs.
 */
export function inputsFor(seed: number, T: number, receptorOf: (s: number) => number = (s) => (s < 6 ? 0 : 1)): Input[] {
  const rng = createRng(seed, 'linear-lif');
  const out: Input[] = [];
  for (let s = 0; s < 8; s++) {
    const r = receptorOf(s);
    const w = s < 6 ? 7 * rng.uniform() : -9 * rng.uniform();
    for (let t = rng.uniform() * 5; t < T; t += -Math.log(1 - rng.uniform()) * 1.5) out.push({ t, w, r });
  }
  return out.sort((a, b) => a.t - b.t || a.r - b.r);
}

export function scenarioFor(neuron: NonNullable<ScenarioInput['populations']>[number], inputs: Input[], T: number, receptors = ['exc', 'inh']): ScenarioInput {
  const keys = [...new Set(inputs.map((e) => `${e.r}/${e.w}`))];
  return {
    name: 'lin', seed: 1, duration_ms: T,
    populations: [
      { name: 'src', model: 'spike_source', size: keys.length, params: { spike_times_ms: keys.map((k) => inputs.filter((e) => `${e.r}/${e.w}` === k).map((e) => e.t)) } },
      { ...neuron, name: 'n', size: 1 },
    ],
    projections: keys.map((k, s) => {
      const [r, w] = k.split('/').map(Number);
      return { name: `p${s}`, from: 'src', to: 'n', receptor: receptors[r], connect: { rule: 'pairs' as const, pre: [s], post: [0] }, weight_mv: w };
    }),
  };
}

