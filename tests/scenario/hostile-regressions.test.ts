/**
 * What hostile input found (issue 20 and tests/scenario/hostile.test.ts), one regression test each: every case ended
 * in a crash, a hang or an out-of-memory error before its fix, and is now refused with its one line before anything
 * runs, or runs.
 */
import { describe, expect, test } from 'vitest';
import { loadScenario, runScenario } from '../../src/api.js';
import { problemsOf } from '../fixtures/problems.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const problems = (ref: string, set: string[]) => problemsOf(() => loadScenario(ref, { set }));

describe('found by the hostile fuzz', () => {
  test('song2000 with its population left out of record.spikes (a TypeError after the whole run)', () => {
    expect(problems('song2000', ['record.spikes=["exc_in"]'])).toEqual([
      'settings.population must name a population whose spikes are recorded (record.spikes: ["exc_in"]), got "neuron"',
    ]);
  });

  test('2^31 - 1 neurons with a parameter drawn per neuron (validation drew them all: minutes and gigabytes)', () => {
    const t0 = performance.now();
    expect(problems('song2000', ['populations[2].size=2147483647', 'populations[2].params.tau_syn_exc_ms={"uniform":[1,2]}'])).toEqual([
      'populations[2].size must be <= 16777216 with a parameter drawn per neuron (tau_syn_exc_ms: its values are drawn to be checked), got 2147483647',
    ]);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

describe('listed in issue 20', () => {
  test('10^12 neurons are refused by the schema (a RangeError before)', () => {
    expect(problems('single-neuron', ['populations.neuron.size=1e12'])).toEqual(['populations[1].size must be <= 2147483647 (neuron indices are 32-bit), got 1000000000000']);
  });

  test('stdp-window with offsets_ms.from = -1e10 (V8 fatal out-of-memory error at 2.4 GB)', () => {
    expect(problems('stdp-window', ['settings.offsets_ms.from=-1e10'])).toEqual([
      'settings.offsets_ms.step must leave at most 10000000 pairings in all (here 5000000051 offsets from -10000000000 to 100 x 60 pairings), got 2',
    ]);
    expect(problems('stdp-window', ['settings.offsets_ms.to=-200'])).toEqual(['settings.offsets_ms.to must be >= from (-100), got -200']);
  });

  test('stdp-window with one offset at 1e20 (adding the step to 1e20 never got past it: endless)', async () => {
    const sc = loadScenario('stdp-window', { set: ['settings.offsets_ms={"from":1e20,"to":1e20,"step":2}', 'settings.pairings=2'] });
    const dir = mkdtempSync(join(tmpdir(), 'chronoprop-far-offset-'));
    try {
      await runScenario(sc, join(dir, 'out'), { workers: 1, report: false });
      expect(readFileSync(join(dir, 'out', 'stdp_window.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 2); // one offset, two schemes
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
