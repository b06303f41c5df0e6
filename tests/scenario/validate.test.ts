/**
 * Bad scenarios stop before simulating, with one line per problem naming the field, the expected form and the value
 * found; the command line exits with code 2 and writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadScenario } from '../../src/scenario/load.js';
import { ScenarioError } from '../../src/scenario/errors.js';

const base = JSON.parse(readFileSync(new URL('../../scenarios/single-neuron.json', import.meta.url), 'utf8'));

const cases: [string, (s: any) => void, string][] = [
  ['unknown model', (s) => (s.populations[1].model = 'izhikevich'), 'populations[1].model must be one of lif, adaptive_lif, alpha_lif, two_compartment, linear, poisson_source, rate_source, spike_source, got "izhikevich"'],
  ['missing field', (s) => delete s.duration_ms, 'duration_ms is required, got nothing'],
  ['negative time constant', (s) => (s.populations[1].params.tau_m_ms = -5), 'populations[1].params.tau_m_ms must be > 0, got -5'],
  ['NaN', (s) => (s.populations[1].params.v_th_mv = 'NaN'), 'populations[1].params.v_th_mv must be a finite number in mV, got "NaN"'],
  ['projection to a missing population', (s) => (s.projections[0].to = 'nobody'), 'projections[0].to must name a population, got "nobody"'],
  ['probability outside [0, 1]', (s) => (s.projections[0].connect = { rule: 'fixed_probability', p: 1.5 }), 'projections[0].connect.p must be in [0, 1], got 1.5'],
  ['unknown connection rule', (s) => (s.projections[0].connect = { rule: 'random' }), 'projections[0].connect.rule must be one of "all_to_all", "one_to_one", "fixed_probability", "fixed_indegree", "receptive_field", "pairs", got "random"'],
  ['reset above threshold', (s) => (s.populations[1].params.v_reset_mv = -40), 'populations[1].params.v_reset_mv must be < v_th_mv (-55), got -40'],
  ['unknown field', (s) => (s.foo = 1), '(scenario) has unknown field "foo"'],
  ['projection onto a source', (s) => (s.projections[0].to = 'input'), 'projections[0].to must name a neuron population (spike_source cannot receive spikes), got "input"'],
  ['negative delay', (s) => (s.projections[0].delay_ms = -1), 'projections[0].delay_ms must be >= 0, got -1'],
  // These two validated, then hung while building (a normal far below 0, redrawn until >= 0) or crashed ("event
  // scheduled in the past", a uniform range with hi < lo).
  ['delay drawn from a normal with a negative mean', (s) => (s.projections[0].delay_ms = { normal: [-10, 1] }), 'projections[0].delay_ms.normal[0] must be >= 0 (delays are drawn from the normal truncated at 0), got -10'],
  ['delay range upside down', (s) => (s.projections[0].delay_ms = { uniform: [0, -5] }), 'projections[0].delay_ms.uniform[1] must be >= the lower end 0, got -5'],
  ['spike lists per neuron', (s) => s.populations[0].params.spike_times_ms.pop(), 'populations[0].params.spike_times_ms must have one list per neuron (2), got 1'],
];

describe('scenario validation', () => {
  for (const [what, mutate, message] of cases) {
    it(`rejects: ${what}`, () => {
      const s = structuredClone(base);
      mutate(s);
      let err: unknown;
      try {
        loadScenario(s);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ScenarioError);
      expect((err as ScenarioError).problems).toEqual([message]);
    });
  }

  it('reports several problems at once', () => {
    const s = structuredClone(base);
    s.populations[1].params.tau_m_ms = -5;
    s.projections[0].to = 'nobody';
    expect(() => loadScenario(s)).toThrow(/tau_m_ms must be > 0[\s\S]*to must name a population/);
  });

  it('validates --set overrides like the file', () => {
    expect(() => loadScenario('single-neuron', { set: ['populations.neuron.params.tau_m_ms=-5'] })).toThrow(
      'populations[1].params.tau_m_ms must be > 0, got -5',
    );
  });
});

describe('chronoprop run with a bad scenario', () => {
  it('exits with code 2, one error line, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'chronoprop-bad-'));
    const s = structuredClone(base);
    s.populations[1].params.tau_m_ms = -5;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(s));
    const cli = new URL('../../dist/chronoprop.js', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [cli, 'run', join(dir, 'bad.json'), '--out', join(dir, 'out')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('error: populations[1].params.tau_m_ms must be > 0, got -5');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['bad.json']);
  });
});
