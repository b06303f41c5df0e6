/**
 * Bad equations stop at validation with one line naming the field, the problem and the term (exit code 2 on the
 * command line, as every ScenarioError); the flow's closed form against mathjs's matrix exponential (Pade), an
 * independent computation.
 */
import { describe, expect, it } from 'vitest';
import { expm, matrix, type Matrix } from 'mathjs';
import { EQUATIONS, PARAMS, linearScenario, validationProblems } from '../fixtures/linear-scenario.js';
import { spectrum, flowMatrix } from '../../src/math/linear-flow.js';

const linear = linearScenario;
const problems = validationProblems;

describe('linear model: magnitudes out of range', () => {
  it('a bias of 1e17 mV on alpha_lif is one line naming the equations and the coefficient, not only mathjs giving up', () => {
    const sc = linear();
    const n = sc.populations[1] as Record<string, unknown>;
    for (const k of ['equations', 'threshold', 'reset', 'refractory_ms', 'receptors', 'init']) delete n[k];
    n.model = 'alpha_lif';
    n.params = { i_bias_mv: 1e17 };
    const p = problems(sc);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^populations\[1\]\.equations its system cannot be checked against the matrix exponential \(mathjs: .*\): its largest coefficient, 5e\+15 per ms, is out of range; look for a parameter \(a bias, a potential\) of about that size times its time constant$/);
  });
});

describe('linear model: validation', () => {
  it("accepts the issue's example", () => {
    expect(problems(linear())).toEqual([]);
  });

  const eqs = (k: number, text: string) => {
    const e = [...EQUATIONS];
    e[k] = text;
    return { equations: e };
  };
  const cases: [string, Record<string, unknown>, string][] = [
    ['a product of state variables', eqs(2, 'dw/dt = (a * v * w - w) / tau_w_ms'),
      'populations[1].equations[2] is not linear in the state: term "a * v * w" (its derivative by v, w * a, depends on w), got "dw/dt = (a * v * w - w) / tau_w_ms"'],
    ['a function of the state', eqs(0, 'dv/dt = (v_rest_mv - v + exp(i_exc)) / tau_m_ms'),
      'populations[1].equations[0] is not linear in the state: term "exp(i_exc)" (its derivative by i_exc, exp(i_exc), depends on i_exc), got "dv/dt = (v_rest_mv - v + exp(i_exc)) / tau_m_ms"'],
    ['a state variable as a coefficient', eqs(1, 'di_exc/dt = -i_exc / w'),
      'populations[1].equations[1] is not linear in the state: term "-i_exc / w" (its derivative by i_exc, -(1 / w), depends on w), got "di_exc/dt = -i_exc / w"'],
    ['an unknown symbol', eqs(1, 'di_exc/dt = -i_exc / tau_syn_exc_ms'),
      'populations[1].equations[1] uses unknown symbol tau_syn_exc_ms (neither a state variable nor a parameter), got "di_exc/dt = -i_exc / tau_syn_exc_ms"'],
    ['explicit time', eqs(1, 'di_exc/dt = -i_exc / tau_syn_ms + t'),
      'populations[1].equations[1] uses unknown symbol t (explicit time t is not allowed: the system must be autonomous) (neither a state variable nor a parameter), got "di_exc/dt = -i_exc / tau_syn_ms + t"'],
    ['a malformed equation', eqs(1, 'i_exc = 3'), 'populations[1].equations[1] must read "dx/dt = expression", got "i_exc = 3"'],
    ['a threshold on no state variable', { threshold: 'u > v_th_mv' }, 'populations[1].threshold names u, which is not a state variable (known: v, i_exc, w), got "u > v_th_mv"'],
    ['no threshold', { threshold: undefined }, 'populations[1].threshold is required for model linear, got nothing'],
    ['a reset of no state variable', { reset: ['u = 3'] }, 'populations[1].reset[0] assigns u, which is not a state variable (known: v, i_exc, w), got "u = 3"'],
    ['a receptor onto no state variable', { receptors: { exc: 'g' } }, 'populations[1].receptors.exc must name a state variable (known: v, i_exc, w), got "g"'],
    ['an unused parameter', { params: { ...PARAMS, tau_x_ms: 3 } }, 'populations[1].params.tau_x_ms is not used by the equations, got 3'],
  ];
  for (const [label, over, line] of cases) {
    it(`refuses ${label}, naming the equation and the term`, () => {
      expect(problems(linear(over))).toEqual([line]);
    });
  }

  it('refuses complex eigenvalues (damped oscillation), naming the equations', () => {
    const p = problems(linear({ params: { ...PARAMS, a: 2 } }));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^populations\[1\]\.equations has complex eigenvalues -0\.03 \+- 0\.0244949i per ms \(damped oscillation\): oscillating solutions are not supported .*; equations dv\/dt = /);
  });

  it("refuses an unknown receptor, listing the model's", () => {
    const sc = linear();
    sc.projections[0].receptor = 'inh';
    expect(problems(sc)).toEqual(['projections[0].receptor must be one of "exc" (receptors of n\'s model linear), got "inh"']);
  });

  it('refuses equation fields on other models', () => {
    const sc = linear();
    (sc.populations[1] as Record<string, unknown>).model = 'lif';
    expect(problems(sc)).toContain('populations[1].threshold is only for model linear (lif has its equations built in), got "v > v_th_mv"');
  });

  it('records any state variable by name', () => {
    const sc = { ...linear(), record: { state: [{ population: 'n', neurons: [0], vars: ['w', 'x'], every_ms: 1 }] } };
    expect(problems(sc)).toEqual(['record.state[0].vars[1] must be one of v, i_exc, w, got "x"']);
  });
});

describe('the spectral flow = the matrix exponential', () => {
  const cases: [string, number[][]][] = [
    ['distinct rates (LIF with two currents, bias)', [[-0.05, 0.05, 0.05, -3], [0, -0.2, 0, 0], [0, 0, -0.1, 0], [0, 0, 0, 0]]],
    ['a repeated rate, diagonalizable and not (tau_syn = tau_m)', [[-0.05, 0.05, 0.05, -3], [0, -0.05, 0, 0], [0, 0, -0.05, 0], [0, 0, 0, 0]]],
    ['a Jordan chain of length 3 (alpha current with tau_syn = tau_m)', [[-0.05, 0.05, 0, -3.5], [0, -0.05, Math.E / 20, 0], [0, 0, -0.05, 0], [0, 0, 0, 0]]],
    ['a coupled 2x2 block (adaptation)', [[-0.05, 0.05, -0.05, -3.5], [0, -0.2, 0, 0], [0.005, 0, -0.01, 0.35], [0, 0, 0, 0]]],
    ['a perfect integrator (eigenvalue 0 repeated)', [[0, 1, 0.5], [0, -0.1, 0], [0, 0, 0]]],
    ['a 3x3 strongly coupled block (mathjs eigs)', [[-0.3, 0.1, 0.05, 1], [0.1, -0.2, 0.1, 0], [0.02, 0.1, -0.15, 0], [0, 0, 0, 0]]],
    ['nearly equal rates (merged: relative gap 1e-9)', [[-0.05, 0.05, -3.5], [0, -0.05 * (1 + 1e-9), 0], [0, 0, 0]]],
  ];
  for (const [label, B] of cases) {
    it(label, () => {
      const s = spectrum(B);
      let worst = 0;
      for (const h of [0.1, 1, 7.3, 40, 200]) {
        const ref = (expm(matrix(B.map((r) => r.map((x) => x * h)))) as Matrix).toArray() as number[][];
        const got = flowMatrix(s, h);
        const scale = Math.max(1, ...ref.flat().map(Math.abs));
        for (let i = 0; i < B.length; i++) for (let j = 0; j < B.length; j++) worst = Math.max(worst, Math.abs(got[i * B.length + j] - ref[i][j]) / scale);
      }
      expect(worst).toBeLessThan(1e-10);
    });
  }
});
