/**
 * A unit mismatch in a `linear` population's equations, through the command line: exit code 2, the one `error:`
 * line naming the equation and the term, nothing on stdout, nothing written.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ensureBuilt } from './cli.js';

beforeAll(ensureBuilt);
const dir = mkdtempSync(join(tmpdir(), 'chronoprop-cli-units-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (equation: string) => ({
  name: 'units', seed: 1, duration_ms: 10,
  populations: [
    { name: 's', model: 'spike_source', size: 1, params: { spike_times_ms: [[1]] } },
    {
      name: 'n', model: 'linear', size: 1,
      equations: [equation, 'di_exc/dt = -i_exc / tau_syn_ms'],
      threshold: 'v > v_th_mv', reset: ['v = v_reset_mv'], refractory_ms: 2, receptors: { exc: 'i_exc' },
      params: { tau_m_ms: 20, v_rest_mv: -70, v_th_mv: -50, v_reset_mv: -65, tau_syn_ms: 5 }, init: { v: -70 },
    },
  ],
  projections: [{ name: 'p', from: 's', to: 'n', receptor: 'exc', connect: { rule: 'all_to_all' }, weight_mv: 1 }],
});

test('a time constant used as a voltage: exit 2 and one line naming the equation and the term', () => {
  const file = join(dir, 'bad.json');
  const equation = 'dv/dt = (v_rest_mv - v + i_exc + tau_m_ms) / tau_m_ms';
  writeFileSync(file, JSON.stringify(scenario(equation)));
  const out = join(dir, 'out');
  expect(cli(['run', file, '--out', out])).toEqual({
    code: 2,
    stdout: '',
    stderr: `error: populations[1].equations[0] has a unit mismatch: term tau_m_ms / tau_m_ms is 1, expected mV/ms (v is mV, from the threshold), got "${equation}"\n`,
  });
  expect(existsSync(out)).toBe(false);
});

test('the same scenario with the units right runs', () => {
  const file = join(dir, 'good.json');
  writeFileSync(file, JSON.stringify(scenario('dv/dt = (v_rest_mv - v + i_exc) / tau_m_ms')));
  expect(cli(['validate', file]).code).toBe(0);
});
