/**
 * Which linear systems run on lif's group (src/neurons/linear/lif-form.ts, models/lif/as-linear.ts), and that those
 * give what the general machinery gives: spike times within 1e-9 ms of it and of the RK4 reference within 1e-6 ms
 * (linear-reference.ts, matrices written here by hand), recorded state by name within 1e-9 mV, on random input
 * trains, including currents that enter v with a scale other than 1 / tau_m (weights scaled, one input at a time), a
 * current entering with a minus sign, a receptor on v beside a current, and tau_syn = tau_m. Systems not in lif's
 * form (adaptation, a third current, coupled or driven currents, resets of other variables, a tau_syn lif refuses)
 * stay on the general machinery; two adaptation systems are checked against RK4 as well, one with irrational rates
 * (an exponential-polynomial search) and one whose rates are multiples of the slowest (a polynomial in z, poly-root.ts).
 */
import { describe, expect, it } from 'vitest';
import { runNet, spikeTimes } from '../helpers.js';
import { referenceSpikes, inputsFor, scenarioFor, type ReferenceModel } from './linear-reference.js';
import { generic, groupOf } from './linear-paths.js';
import { LifAsLinearGroup } from '../../models/lif/as-linear.js';
import { LinearGroup } from '../../src/neurons/linear/group.js';
import type { Network } from '../../src/scenario/network.js';

const T = 300;
type Pop = Record<string, unknown> & { params: Record<string, number>; receptors: Record<string, string> };

/** A `linear` population n from the fields given (refractory 2 ms, starting at rest). */
const linear = (equations: string[], receptors: Record<string, string>, params: Record<string, number>, reset = ['v = v_reset_mv']): Pop => ({
  name: 'n', model: 'linear', size: 1, equations, threshold: 'v >= v_th_mv', reset, refractory_ms: 2, receptors, params,
  init: { v: params.v_rest_mv },
});

const P = { tau_m_ms: 20, v_rest_mv: -60, v_reset_mv: -70, v_th_mv: -50 };

interface FormCase {
  label: string;
  pop: Pop;
  reference: ReferenceModel;
  x0: number[];
}

const tm = P.tau_m_ms;
const formCases: FormCase[] = [
  {
    label: 'currents scaled by 2.5 and by -1 (the inhibitory one entering with a minus sign)',
    pop: linear(['dv/dt = (v_rest_mv - v + k * i_e - g_i) / tau_m_ms', 'di_e/dt = -i_e / tau_e_ms', 'dg_i/dt = -g_i / tau_i_ms'],
      { exc: 'i_e', inh: 'g_i' }, { ...P, k: 2.5, tau_e_ms: 3.3, tau_i_ms: 8.1 }),
    reference: {
      A: [[-1 / tm, 2.5 / tm, -1 / tm], [0, -1 / 3.3, 0], [0, 0, -1 / 8.1]], c: [P.v_rest_mv / tm, 0, 0], th: 0, theta: P.v_th_mv,
      reset: (x) => (x[0] = P.v_reset_mv), refractoryMs: 2, receptors: [1, 2],
    },
    x0: [P.v_rest_mv, 0, 0],
  },
  {
    label: 'one current with tau_syn = tau_m, inhibition jumping v directly',
    pop: linear(['dv/dt = (v_rest_mv - v + i_e) / tau_m_ms', 'di_e/dt = -i_e / tau_m_ms'], { exc: 'i_e', inh: 'v' }, P),
    reference: {
      A: [[-1 / tm, 1 / tm], [0, -1 / tm]], c: [P.v_rest_mv / tm, 0], th: 0, theta: P.v_th_mv,
      reset: (x) => (x[0] = P.v_reset_mv), refractoryMs: 2, receptors: [1, 0],
    },
    x0: [P.v_rest_mv, 0],
  },
  {
    label: 'both currents with tau_syn = tau_m, a bias above threshold',
    pop: linear(['dv/dt = (v_rest_mv + bias_mv - v + i_e + i_i) / tau_m_ms', 'di_e/dt = -i_e / tau_m_ms', 'di_i/dt = -i_i / tau_m_ms'],
      { exc: 'i_e', inh: 'i_i' }, { ...P, bias_mv: 14 }),
    reference: {
      A: [[-1 / tm, 1 / tm, 1 / tm], [0, -1 / tm, 0], [0, 0, -1 / tm]], c: [(P.v_rest_mv + 14) / tm, 0, 0], th: 0, theta: P.v_th_mv,
      reset: (x) => (x[0] = P.v_reset_mv), refractoryMs: 2, receptors: [1, 2],
    },
    x0: [P.v_rest_mv, 0, 0],
  },
];

/** Runs the scenario on both paths; the routed one must be lif's group, the other the general machinery. */
function bothPaths(pop: Pop, seed: number, record = false): { routed: Network; general: Network } {
  const sc = scenarioFor(pop as never, inputsFor(seed, T), T);
  if (record) sc.record = { spikes: 'all', state: [{ population: 'n', neurons: [0], vars: Object.keys(pop.receptors).map((r) => pop.receptors[r]).concat('v'), every_ms: 1 }] };
  const routed = runNet(sc);
  const general = generic(() => runNet(sc));
  expect(groupOf(routed)).toBeInstanceOf(LifAsLinearGroup);
  expect(groupOf(general)).toBeInstanceOf(LinearGroup);
  return { routed, general };
}

describe("linear systems in lif's form run on lif's group, with the general machinery's spikes", () => {
  for (const c of formCases) {
    it(`${c.label}: within 1e-9 ms of the general path, 1e-6 ms of RK4`, () => {
      let worst = 0;
      let worstRef = 0;
      let total = 0;
      for (const seed of [1, 2, 3]) {
        const { routed, general } = bothPaths(c.pop, seed);
        const a = spikeTimes(routed, 'n');
        const b = spikeTimes(general, 'n');
        const r = referenceSpikes(c.reference, c.x0, inputsFor(seed, T), T);
        expect(a.length, `seed ${seed}: lif's group ${a.length} spikes, general ${b.length}`).toBe(b.length);
        expect(r.length, `seed ${seed}: RK4 ${r.length} spikes, lif's group ${a.length}`).toBe(a.length);
        for (let k = 0; k < a.length; k++) {
          worst = Math.max(worst, Math.abs(a[k] - b[k]));
          worstRef = Math.max(worstRef, Math.abs(a[k] - r[k]));
        }
        total += a.length;
      }
      console.log(`${c.label}: ${total} spikes, |lif's group - general| <= ${worst.toExponential(1)} ms, |lif's group - RK4| <= ${worstRef.toExponential(1)} ms`);
      expect(total).toBeGreaterThan(15);
      expect(worst).toBeLessThan(1e-9);
      expect(worstRef).toBeLessThan(1e-6);
    });
  }

  it('records every state variable by name in its own units, as the general path does', () => {
    const c = formCases[0];
    const { routed, general } = bothPaths(c.pop, 4, true);
    const a = routed.state[0];
    const b = general.state[0];
    expect(a.vars).toEqual(['i_e', 'g_i', 'v']);
    expect(a.times().length).toBeGreaterThan(200);
    expect(a.times()).toEqual(b.times());
    let worst = 0;
    for (const [k, v] of a.vars.entries()) {
      const x = a.trace(0, k);
      const y = b.trace(0, k);
      expect(x.some((u) => u !== 0), v).toBe(true);
      for (let k = 0; k < x.length; k++) worst = Math.max(worst, Math.abs(x[k] - y[k]));
    }
    expect(worst).toBeLessThan(1e-9);
    // Columns too: the state after the run, by name.
    for (const v of ['i_e', 'g_i', 'v']) {
      expect(groupOf(routed).state[v].get(0)).toBeCloseTo(groupOf(general).state[v].get(0), 9);
    }
  });
});

describe('systems not in lif\'s form stay on the general machinery', () => {
  const L = ['dv/dt = (v_rest_mv - v + i_e + i_i) / tau_m_ms', 'di_e/dt = -i_e / tau_e_ms', 'di_i/dt = -i_i / tau_i_ms'];
  const R = { exc: 'i_e', inh: 'i_i' };
  const Q = { ...P, tau_e_ms: 5, tau_i_ms: 10 };
  const notForms: [string, Pop][] = [
    ['adaptation w coupled to v', linear(
      ['dv/dt = (v_rest_mv - v + i_e + i_i - w) / tau_m_ms', L[1], L[2], 'dw/dt = (a * (v - v_rest_mv) - w) / tau_w_ms'],
      R, { ...Q, v_rest_mv: -45, a: 0.3, tau_w_ms: 100, b_mv: 2 }, ['v = v_reset_mv', 'w = w + b_mv'])],
    ['a third current', linear([L[0].replace('i_i)', 'i_i + i_x)'), L[1], L[2], 'di_x/dt = -i_x / tau_x_ms'], R, { ...Q, tau_x_ms: 7 })],
    ['a reset of a current', linear(L, R, { ...Q, d_mv: 1 }, ['v = v_reset_mv', 'i_i = i_i - d_mv'])],
    ['a reset relative to v', linear(L, R, { tau_m_ms: 20, v_rest_mv: -60, v_th_mv: -50, tau_e_ms: 5, tau_i_ms: 10, d_mv: 20 }, ['v = v - d_mv'])],
    ['currents coupled (alpha shape)', linear([L[0], 'di_e/dt = (g_e - i_e) / tau_e_ms', 'dg_e/dt = -g_e / tau_e_ms', L[2]], { exc: 'g_e', inh: 'i_i' }, Q)],
    ['a driven current', linear([L[0], 'di_e/dt = (i0_mv - i_e) / tau_e_ms', L[2]], R, { ...Q, i0_mv: 1 })],
    ['two currents and a receptor on v', linear(L, { ...R, direct: 'v' }, Q)],
    ['tau_syn within 1e-4 of tau_m (lif refuses it)', linear(L, R, { ...Q, tau_e_ms: 20 * (1 + 1e-5) })],
  ];
  for (const [label, pop] of notForms) {
    it(label, () => {
      const net = runNet(scenarioFor(pop as never, inputsFor(1, 20), 20, Object.keys(pop.receptors)));
      expect(groupOf(net)).toBeInstanceOf(LinearGroup);
    });
  }

  // The first has irrational rates (an exponential-polynomial search); with a = 0 and tau_w 40 every rate is a multiple
  // of 1/40 (z = e^{-h/40}: v - theta a polynomial of degree 8, solved as lif solves its own: poly-root.ts).
  const adaptations: [string, Pop][] = [
    ['adaptation', notForms[0][1]],
    ['spike-triggered adaptation, commensurate rates (polynomial in z)', linear(
      ['dv/dt = (v_rest_mv - v + i_e + i_i - w) / tau_m_ms', L[1], L[2], 'dw/dt = (a * (v - v_rest_mv) - w) / tau_w_ms'],
      R, { ...Q, v_rest_mv: -45, a: 0, tau_w_ms: 40, b_mv: 3 }, ['v = v_reset_mv', 'w = w + b_mv'])],
  ];
  for (const [label, pop] of adaptations) it(`${label}: spike times within 1e-6 ms of RK4`, () => {
    const p = pop.params;
    const ref: ReferenceModel = {
      A: [[-1 / 20, 1 / 20, 1 / 20, -1 / 20], [0, -1 / 5, 0, 0], [0, 0, -1 / 10, 0], [p.a / p.tau_w_ms, 0, 0, -1 / p.tau_w_ms]],
      c: [p.v_rest_mv / 20, 0, 0, (-p.a * p.v_rest_mv) / p.tau_w_ms], th: 0, theta: P.v_th_mv, refractoryMs: 2, receptors: [1, 2],
      reset: (x) => ((x[0] = P.v_reset_mv), (x[3] += p.b_mv)),
    };
    let worst = 0;
    let total = 0;
    for (const seed of [1, 2]) {
      const got = spikeTimes(runNet(scenarioFor(pop as never, inputsFor(seed, T), T)), 'n');
      const want = referenceSpikes(ref, [p.v_rest_mv, 0, 0, 0], inputsFor(seed, T), T);
      expect(got.length).toBe(want.length);
      for (let k = 0; k < got.length; k++) worst = Math.max(worst, Math.abs(got[k] - want[k]));
      total += got.length;
    }
    console.log(`${label}: ${total} spikes, |general - RK4| <= ${worst.toExponential(1)} ms`);
    expect(total).toBeGreaterThan(10);
    expect(worst).toBeLessThan(1e-6);
  });
});
