/**
 * The unit check of `linear` equations (src/neurons/linear/unit-check.ts): each bad definition is refused with one
 * line naming the field and the exact term, written out by hand; every definition the project ships or tests with
 * passes it, so the check never refuses a model that runs today.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EQUATIONS, PARAMS, linearScenario, validationProblems } from '../fixtures/linear-scenario.js';
import { parseDefinition, DefinitionError, type LinearDefinition } from '../../src/neurons/linear/equations.js';
import { neuronModels } from '../../models/index.js';
import { linearFromPopulation, type LinearPopulation } from '../../models/linear.js';
import { adaptiveLif, adaptiveLifDefinition } from '../../models/adaptive-lif.js';
import { alphaLif, alphaLifDefinition } from '../../models/alpha-lif.js';
import { twoCompartment, twoCompartmentDefinition } from '../../models/two-compartment.js';

const ROOT = join(__dirname, '..', '..');
/** The fixture's network, its population starting at rest (a number, not a distribution). */
const scenario = (over: Record<string, unknown> = {}) => linearScenario({ init: { v: -70 }, ...over });
const problems = validationProblems;

const eq = (k: number, text: string, params = PARAMS) => {
  const e = [...EQUATIONS];
  e[k] = text;
  return { equations: e, params };
};

describe('unit suffixes: mismatches are refused, naming the field and the term', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a time added to voltages', eq(0, 'dv/dt = (v_rest_mv - v + tau_m_ms) / tau_m_ms'),
      'populations[1].equations[0] has a unit mismatch: term tau_m_ms / tau_m_ms is 1, expected mV/ms (v is mV, from the threshold), got "dv/dt = (v_rest_mv - v + tau_m_ms) / tau_m_ms"'],
    ['a time constant multiplied instead of divided', eq(1, 'di_exc/dt = -i_exc * tau_syn_ms'),
      'populations[1].equations[1] has a unit mismatch: term -i_exc * tau_syn_ms is mV ms, expected mV/ms (i_exc is mV, from receptor exc), got "di_exc/dt = -i_exc * tau_syn_ms"'],
    ['a voltage without its time constant', eq(1, 'di_exc/dt = -i_exc / tau_syn_ms + v_rest_mv'),
      'populations[1].equations[1] has a unit mismatch: term v_rest_mv is mV, expected mV/ms (i_exc is mV, from receptor exc), got "di_exc/dt = -i_exc / tau_syn_ms + v_rest_mv"'],
    ['a rate where a voltage is due', eq(1, 'di_exc/dt = -i_exc / tau_syn_ms + r_hz', { ...PARAMS, r_hz: 3 }),
      'populations[1].equations[1] has a unit mismatch: term r_hz is 1/ms, expected mV/ms (i_exc is mV, from receptor exc), got "di_exc/dt = -i_exc / tau_syn_ms + r_hz"'],
    ['an inferred unit broken later (w is mV from equations[0])', eq(2, 'dw/dt = (a * (v - v_rest_mv) - w) / tau_w_ms + tau_w_ms'),
      'populations[1].equations[2] has a unit mismatch: term tau_w_ms is ms, expected mV/ms (w is mV, from equations[0], term -w / tau_m_ms), got "dw/dt = (a * (v - v_rest_mv) - w) / tau_w_ms + tau_w_ms"'],
    ['a sum that cannot be distributed', eq(1, 'di_exc/dt = -i_exc / (tau_syn_ms + v_rest_mv)'),
      'populations[1].equations[1] has a unit mismatch: term v_rest_mv is mV, expected ms (the unit of tau_syn_ms in the same sum (tau_syn_ms + v_rest_mv)), got "di_exc/dt = -i_exc / (tau_syn_ms + v_rest_mv)"'],
    ['a dimensional argument of exp', eq(1, 'di_exc/dt = -i_exc * exp(tau_syn_ms) / tau_syn_ms'),
      'populations[1].equations[1] has a unit mismatch: term tau_syn_ms is ms, expected 1 (the argument of exp is a pure number), got "di_exc/dt = -i_exc * exp(tau_syn_ms) / tau_syn_ms"'],
    ['a threshold in ms', { threshold: 'v > v_th_mv + tau_m_ms' },
      'populations[1].threshold has a unit mismatch: term tau_m_ms is ms, expected mV (v is mV, from the threshold), got "v > v_th_mv + tau_m_ms"'],
    ['a reset adding a time to a voltage', { reset: ['v = v_reset_mv', 'w = w + tau_w_ms'], params: { ...PARAMS, b_mv: undefined } },
      'populations[1].reset[1] has a unit mismatch: term tau_w_ms is ms, expected mV (w is mV, from equations[0], term -w / tau_m_ms), got "w = w + tau_w_ms"'],
    ['a reset by +=', { reset: ['v = v_reset_mv', 'w += tau_w_ms'], params: { ...PARAMS, b_mv: undefined } },
      'populations[1].reset[1] has a unit mismatch: term tau_w_ms is ms, expected mV (w is mV, from equations[0], term -w / tau_m_ms), got "w += tau_w_ms"'],
    ['a receptor onto a variable named in ms', { equations: [...EQUATIONS, 'dx_ms/dt = -x_ms / tau_syn_ms'], receptors: { exc: 'i_exc', slow: 'x_ms' } },
      'populations[1].receptors.slow has a unit mismatch: term x_ms is ms, expected mV (an input jumps it by a weight in mV), got "x_ms"'],
    ['a unit fixed by an unsuffixed parameter', eq(2, 'dw/dt = (a * (v - v_rest_mv) - w) / tau_w_ms + a * tau_w_ms'),
      'populations[1].equations[2] has a unit mismatch: term a * tau_w_ms is ms, expected mV/ms (a is 1, from equations[2], term a * v / tau_w_ms; w is mV, from equations[0], term -w / tau_m_ms), got "dw/dt = (a * (v - v_rest_mv) - w) / tau_w_ms + a * tau_w...'], // a found value past 60 characters is cut
  ];
  for (const [label, over, line] of cases) {
    it(`refuses ${label}`, () => {
      const sc = scenario(over);
      const p = sc.populations[1].params as Record<string, unknown>;
      for (const k of Object.keys(p)) if (p[k] === undefined) delete p[k];
      expect(problems(sc)).toEqual([line]);
    });
  }

  it('refuses a refractory period that is not a time (model files give it as an expression)', () => {
    const def = { ...adaptiveLifDefinition, refractory_ms: 'v_th_mv' };
    let thrown: unknown = null;
    try {
      parseDefinition(def, (s) => Object.hasOwn(adaptiveLif.params, s));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DefinitionError);
    expect((thrown as DefinitionError).problems).toEqual([
      { path: ['refractory_ms'], message: 'has a unit mismatch: term v_th_mv is mV, expected ms (refractory_ms is a time)', got: 'v_th_mv' },
    ]);
  });
});

describe('unit suffixes: what passes', () => {
  const good: [string, Record<string, unknown>][] = [
    ["the issue's example", {}],
    ['bare numbers (their unit is whatever the sum needs)', eq(0, 'dv/dt = (-70 - v + i_exc - w) / tau_m_ms + 0.5 * i_exc / tau_m_ms')],
    ['a rate in _hz', eq(1, 'di_exc/dt = -i_exc * r_hz', { ...PARAMS, tau_syn_ms: undefined, r_hz: 0.2 })],
    ['a sum of time constants', eq(1, 'di_exc/dt = -i_exc / (tau_syn_ms + tau_m_ms)')],
    ['a dimensionless exp and a square root', eq(1, 'di_exc/dt = -i_exc * exp(-tau_syn_ms / tau_m_ms) / sqrt(tau_syn_ms * tau_m_ms)')],
    ['an unsuffixed parameter used in two units (not judged: its unit is unknown)', eq(1, 'di_exc/dt = -i_exc / k', { ...PARAMS, tau_syn_ms: undefined, k: 5 })],
    ['LIF with inputs straight onto v (tests/models/linear-lif.test.ts)', { equations: ['dv/dt = (v_rest_mv - v + i_bias_mv) / tau_m_ms'], receptors: { exc: 'v', inh: 'v' }, reset: ['v = v_reset_mv'],
      params: { v_rest_mv: -70, i_bias_mv: 0, tau_m_ms: 20, v_th_mv: -50, v_reset_mv: -65 } }],
  ];
  for (const [label, over] of good) {
    it(`accepts ${label}`, () => {
      const sc = scenario(over);
      const p = sc.populations[1].params as Record<string, unknown>;
      for (const k of Object.keys(p)) if (p[k] === undefined) delete p[k];
      expect(problems(sc)).toEqual([]);
    });
  }

  it('accepts every model file, parsed with its declared parameters', () => {
    const files: [LinearDefinition, { params: object }][] = [[adaptiveLifDefinition, adaptiveLif], [alphaLifDefinition, alphaLif], [twoCompartmentDefinition, twoCompartment]];
    for (const [def, model] of files) expect(() => parseDefinition(def, (s) => Object.hasOwn(model.params, s))).not.toThrow();
    for (const model of Object.values(neuronModels)) {
      const defaults = Object.fromEntries(Object.entries(model.params).map(([k, s]) => [k, s.default]));
      expect(model.check?.(defaults) ?? null).toBeNull();
    }
  });

  it('accepts every linear population in scenarios/ and tests/fixtures/', () => {
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(join(dir, e.name)) : /\.(json|ya?ml)$/.test(e.name) && !e.name.endsWith('.schema.json') ? [join(dir, e.name)] : []);
    const pops: LinearPopulation[] = [];
    for (const f of [...files(join(ROOT, 'scenarios')), ...files(join(ROOT, 'tests', 'fixtures'))]) {
      const text = readFileSync(f, 'utf8');
      const sc = f.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      for (const p of sc?.populations ?? []) if (p?.model === 'linear') pops.push(p);
    }
    // None today (the model files above are where equations ship): this covers a scenario added later.
    for (const p of pops) expect(() => linearFromPopulation(p)).not.toThrow();
  });
});

/**
 * Random equations built consistent by construction (each term a voltage over a time, in one of several shapes)
 * pass; the same with one voltage in one term swapped for a time or a rate are refused at that equation, naming
 * the swapped symbol's term. The oracle is the construction, not the checker's algebra.
 */
describe('unit suffixes: random equations', () => {
  const T = ['tau_m_ms', 'tau_syn_ms', 'tau_w_ms'];
  const WRONG = ['tau_m_ms', 'tau_w_ms', 'r_hz'];
  // Each shape takes a voltage x (a state variable or a voltage parameter) and times; the result is mV/ms.
  const shapes: ((x: string, t: string[]) => string)[] = [
    (x, t) => `${x} / ${t[0]}`,
    (x) => `${x} * r_hz`,
    (x, t) => `(${x} - v_rest_mv) / ${t[0]}`,
    (x, t) => `${x} / (${t[0]} + ${t[1]})`,
    (x, t) => `${x} * exp(-${t[0]} / ${t[1]}) / ${t[2]}`,
    (x, t) => `${x} * ${t[0]} / (${t[1]} * ${t[2]})`,
    (x, t) => `${x} / sqrt(${t[0]} * ${t[1]})`,
    (x, t) => `-${x} * a / ${t[0]}`,
  ];
  const VARS = ['v', 'i_exc', 'w'];
  const term = fc.record({ shape: fc.nat(shapes.length - 1), x: fc.constantFrom(...VARS, 'v_rest_mv', 'b_mv'), t: fc.tuple(fc.constantFrom(...T), fc.constantFrom(...T), fc.constantFrom(...T)) });
  const system = fc.record({ terms: fc.tuple(fc.array(term, { maxLength: 4 }), fc.array(term, { maxLength: 4 }), fc.array(term, { maxLength: 4 })) });
  const PARAM = (s: string) => ['tau_m_ms', 'tau_syn_ms', 'tau_w_ms', 'r_hz', 'v_rest_mv', 'v_th_mv', 'v_reset_mv', 'b_mv', 'a'].includes(s);
  type T = { shape: number; x: string; t: [string, string, string] };
  const definition = (terms: T[][], swap?: { k: number; j: number; by: string }) => ({
    // -w / tau_m_ms first in dv/dt fixes w's unit (mV); a's unit is fixed by the -x * a / t shape when it occurs.
    equations: VARS.map((x, k) => `d${x}/dt = ${[`-${k === 0 ? 'w' : x} / tau_m_ms`, ...terms[k].map((t, j) =>
      shapes[t.shape](swap && swap.k === k && swap.j === j ? swap.by : t.x, t.t))].join(' + ')}`),
    threshold: 'v > v_th_mv', reset: ['v = v_reset_mv', 'w = w + b_mv'], refractory_ms: 2, receptors: { exc: 'i_exc' },
  });

  it('accepts equations consistent by construction', () => {
    fc.assert(fc.property(system, ({ terms }) => {
      parseDefinition(definition(terms as T[][]), PARAM);
    }), { numRuns: 30, seed: 21 });
  });

  it('refuses the same with one voltage swapped for a time or a rate, at that equation', () => {
    const swapped = system.chain(({ terms }) => {
      // Not in the -x * a / t shape: there a swap is only a mismatch if another term fixes a's unit.
      const at = terms.flatMap((ts, k) => ts.map((t, j) => ({ k, j, t }))).filter((p) => p.t.shape !== 7);
      return at.length === 0 ? fc.constant(null) : fc.record({ terms: fc.constant(terms), pick: fc.constantFrom(...at), by: fc.constantFrom(...WRONG) });
    });
    fc.assert(fc.property(swapped, (c) => {
      if (!c) return;
      let thrown: unknown = null;
      try {
        parseDefinition(definition(c.terms as T[][], { k: c.pick.k, j: c.pick.j, by: c.by }), PARAM);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(DefinitionError);
      const [p, ...more] = (thrown as DefinitionError).problems;
      expect(more).toEqual([]);
      expect(p.path).toEqual(['equations', c.pick.k]);
      expect(p.message).toMatch(new RegExp(`^has a unit mismatch: term \\S*${c.by}`));
    }), { numRuns: 30, seed: 21 });
  });
});
