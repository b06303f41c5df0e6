/**
 * Every kind of bad scenario gets one line naming the field, the expected form and the value found. The expected
 * lines are written out by hand from the schema's rules, not captured from the code.
 */
import { describe, expect, test } from 'vitest';
import { applySet } from '../../src/scenario/load.js';
import { loadScenario } from '../../src/api.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { problemsOf } from '../fixtures/problems.js';

/** A small valid scenario: a Poisson source driving 2 LIF neurons. */
function base(): Record<string, any> {
  return {
    name: 'tiny',
    seed: 1,
    duration_ms: 10,
    populations: [
      { name: 'a', model: 'lif', size: 2 },
      { name: 's', model: 'poisson_source', size: 2, params: { rate_hz: 10 } },
    ],
    projections: [{ name: 'p', from: 's', to: 'a', receptor: 'exc', connect: { rule: 'fixed_probability', p: 0.5 }, weight_mv: 1 }],
  };
}

function problems(edit: (s: Record<string, any>) => void, set: string[] = []): string[] {
  const s = base();
  edit(s);
  return problemsOf(() => loadScenario(s, { set }));
}

describe('one line per problem', () => {
  test.each([
    ['unknown model', (s: any) => (s.populations[0].model = 'lifx'), 'populations[0].model must be one of lif, adaptive_lif, alpha_lif, two_compartment, linear, poisson_source, rate_source, spike_source, got "lifx"'],
    ['missing field', (s: any) => delete s.seed, 'seed is required, got nothing'],
    ['negative time constant', (s: any) => (s.populations[0].params = { tau_m_ms: -5 }), 'populations[0].params.tau_m_ms must be > 0, got -5'],
    ['NaN parameter', (s: any) => (s.populations[0].params = { tau_m_ms: NaN }), 'populations[0].params.tau_m_ms must be a finite number in ms, got NaN'],
    ['NaN duration', (s: any) => (s.duration_ms = NaN), 'duration_ms must be a finite number, got NaN'],
    ['Infinity duration', (s: any) => (s.duration_ms = Infinity), 'duration_ms must be a finite number, got Infinity'],
    ['string for a number', (s: any) => (s.duration_ms = '10'), 'duration_ms must be a number, got "10"'],
    ['projection to a missing population', (s: any) => (s.projections[0].to = 'nope'), 'projections[0].to must name a population, got "nope"'],
    ['probability above 1', (s: any) => (s.projections[0].connect.p = 1.5), 'projections[0].connect.p must be in [0, 1], got 1.5'],
    ['probability below 0', (s: any) => (s.projections[0].connect.p = -0.1), 'projections[0].connect.p must be in [0, 1], got -0.1'],
    ['unknown key', (s: any) => (s.colour = 'red'), '(scenario) has unknown field "colour"'],
    ['unknown rule', (s: any) => (s.projections[0].connect.rule = 'bogus'), 'projections[0].connect.rule must be one of "all_to_all", "one_to_one", "fixed_probability", "fixed_indegree", "receptive_field", "pairs", got "bogus"'],
    ['receptive_field grid not the population', (s: any) => (s.projections[0].connect = { rule: 'receptive_field', width: 3, height: 1, patch: [1, 1] }), 'projections[0].connect.height must make width x height = 2 (size of s) with width 3, got 1'],
    ['receptive_field patch too big', (s: any) => (s.projections[0].connect = { rule: 'receptive_field', width: 2, height: 1, patch: [1, 2] }), "projections[0].connect.patch[1] must be <= 1 (the grid's shorter side less twice the margin), got 2"],
    ['receptive_field n above the smallest patch', (s: any) => (s.projections[0].connect = { rule: 'receptive_field', width: 2, height: 1, patch: [1, 1], n: 2 }), 'projections[0].connect.n must be <= 1 (cells in the smallest patch, 1 x 1), got 2'],
    ['list expected', (s: any) => (s.populations = 5), 'populations must be a list, got 5'],
    ['half a uniform range', (s: any) => (s.projections[0].weight_mv = { uniform: [1] }), 'projections[0].weight_mv.uniform must have at least 2 elements, got [1]'],
    ['weight of the wrong form', (s: any) => (s.projections[0].weight_mv = 'big'), 'projections[0].weight_mv must be a number, {"uniform": [lo, hi]}, {"normal": [mean, sd]} or a list of one value per synapse (connect rule pairs), got "big"'],
    ['size not an integer', (s: any) => (s.populations[0].size = 1.5), 'populations[0].size must be an integer, got 1.5'],
    ['name that is a path', (s: any) => (s.populations[0].name = '../x'), 'populations[0].name must be letters, digits, "_" or "-", got "../x"'],
  ])('%s', (_, edit, line) => {
    expect(problems(edit)).toEqual([line]);
  });

  test('several problems are reported together', () => {
    expect(
      problems((s) => {
        s.projections[0].to = 'nope';
        s.populations[0].params = { tau_m_ms: -5, v_th_mv: 'high' };
      }),
    ).toEqual([
      'populations[0].params.tau_m_ms must be > 0, got -5',
      'populations[0].params.v_th_mv must be a finite number in mV, got "high"',
      'projections[0].to must name a population, got "nope"',
    ]);
  });
});

describe('names that become paths are safe file names', () => {
  // The scenario's name becomes results/<name>/ (a run there replaced ".." or "." wholesale), population and
  // projection names become files in it (spikes/<population>.csv, weights/<projection>.npy).
  const name = 'must be letters, digits, ".", "_" or "-"';
  const part = 'must be letters, digits, "_" or "-"';
  test.each([
    ['name', '..', `name must be a file name other than "." and "..", got ".."`],
    ['name', '.', `name must be a file name other than "." and "..", got "."`],
    ['name', '', 'name must not be empty, got ""'],
    ['name', '../x', `name ${name}, got "../x"`],
    ['name', 'a/b', `name ${name}, got "a/b"`],
    ['name', 'a\\b', `name ${name}, got "a\\\\b"`],
    ['name', 'a\u0000b', `name ${name}, got "a\\u0000b"`],
    ['populations[0].name', '..', `populations[0].name ${part}, got ".."`],
    ['populations[0].name', '.', `populations[0].name ${part}, got "."`],
    ['populations[0].name', 'a\\b', `populations[0].name ${part}, got "a\\\\b"`],
    ['projections[0].name', '..', `projections[0].name ${part}, got ".."`],
    ['projections[0].name', 'a/b', `projections[0].name ${part}, got "a/b"`],
    ['projections[0].name', '', `projections[0].name ${part}, got ""`],
  ])('%s = %j', (field, value, line) => {
    const edit = (s: any) => {
      if (field === 'name') s.name = value;
      else if (field.startsWith('populations')) {
        s.populations[0].name = value;
        s.projections[0].to = value; // so that the name is the only problem
      } else s.projections[0].name = value;
    };
    expect(problems(edit)).toEqual([line]);
  });

  test('--set name=.. is refused the same way', () => {
    expect(problems(() => {}, ['name=..'])).toEqual([`name must be a file name other than "." and "..", got ".."`]);
  });

  test('names with dots in them are still fine', () => {
    expect(problems((s) => (s.name = 'run..2.v1'))).toEqual([]);
  });
});

describe('names from the scenario never reach Object.prototype', () => {
  // Regression: `model: "toString"` crashed validation with a TypeError; "constructor" passed as an experiment,
  // a parameter, an initial value or a recorded variable.
  test.each([
    [(s: any) => (s.populations[0].model = 'toString'), 'populations[0].model must be one of lif, adaptive_lif, alpha_lif, two_compartment, linear, poisson_source, rate_source, spike_source, got "toString"'],
    [(s: any) => (s.experiment = 'constructor'), 'experiment must be one of network, stdp-window, song2000, derivative-filter, stdp-converse, spiking-digits, recirculation, nudge-deltas, two-pass, got "constructor"'],
    [(s: any) => (s.populations[0].params = { hasOwnProperty: 1 }), /^populations\[0\]\.params\.hasOwnProperty is not a parameter of lif/],
    [(s: any) => (s.populations[0].init = { constructor: 1 }), /^populations\[0\]\.init\.constructor is not a state variable of lif/],
    [(s: any) => (s.record = { state: [{ population: 'a', neurons: [0], vars: ['toString'], every_ms: 1 }] }), /^record\.state\[0\]\.vars\[0\] must be one of v_mv/],
  ])('%#', (edit, line) => {
    const p = problems(edit);
    expect(p).toHaveLength(1);
    if (typeof line === 'string') expect(p[0]).toBe(line);
    else expect(p[0]).toMatch(line);
  });
});

describe('--set values are validated like the file', () => {
  test('the same lines as the same values in the file', () => {
    expect(problems(() => {}, ['populations.a.params.tau_m_ms=-5'])).toEqual(['populations[0].params.tau_m_ms must be > 0, got -5']);
    expect(problems(() => {}, ['duration_ms=NaN'])).toEqual(['duration_ms must be a finite number, got NaN']);
    expect(problems(() => {}, ['projections[0].connect.p=2'])).toEqual(['projections[0].connect.p must be in [0, 1], got 2']);
    expect(problems(() => {}, ['populations[0].model=nope'])).toEqual(['populations[0].model must be one of lif, adaptive_lif, alpha_lif, two_compartment, linear, poisson_source, rate_source, spike_source, got "nope"']);
  });

  test('overrides that cannot apply say why', () => {
    expect(problems(() => {}, ['populations.zz.size=3'])).toEqual(['--set populations.zz.size: no element named "zz"']);
    expect(problems(() => {}, ['populations[5].size=3'])).toEqual(['--set populations[5].size: index 5 is past the end of populations (2 elements)']);
    expect(problems(() => {}, ['seed.x=3'])).toEqual(['--set seed.x: seed is not an object or list']);
    expect(problems(() => {}, ['novalue'])).toEqual(['--set expects path=value, got "novalue"']);
  });

  test('prototype keys are refused, and nothing global changes', () => {
    for (const path of ['__proto__.polluted=1', 'constructor.prototype.polluted=1', 'populations[0].__proto__.polluted=1']) {
      expect(() => applySet(base(), path)).toThrow(ScenarioError);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
