/**
 * No NaN or Infinity reaches an output file (issue 20): the writers of spikes, state traces, weights and run.json
 * metrics refuse a value that is not finite, in one line naming the recorder (or metric), the column and the place.
 * The bad values are injected where the recorders store them, after the simulation computed them, so each test shows
 * that the writer's check, and nothing upstream, stops them; and one scenario makes a NaN the honest way, by pushing
 * the membrane past float64's range.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/load.js';
import { simulateNetwork } from '../../src/scenario/run-network.js';
import { runScenario } from '../../src/api.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { StateRecorder } from '../../src/recording/state.js';
import { WeightRecorder } from '../../src/recording/weights.js';
import { SpikeRecorder } from '../../src/recording/spikes.js';
import { requireFiniteMetrics } from '../../src/scenario/finite.js';
import { oneNeuron } from '../helpers.js';

afterEach(() => vi.restoreAllMocks());

/** One LIF neuron driven to fire, its v and i_exc recorded every ms, with a plastic input weight recorded too. */
function scenario(w = 30) {
  const sc = oneNeuron({ params: { i_bias_mv: 10 }, exc: { times: [1, 2, 3, 4, 5, 6], w }, duration_ms: 10 });
  sc.record = { spikes: 'all', state: [{ population: 'n', neurons: [0], vars: ['v_mv', 'i_exc_mv'], every_ms: 1 }] };
  return sc;
}

function run(sc: ReturnType<typeof scenario>) {
  return simulateNetwork(loadScenario(sc), { workers: 1 });
}

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('expected a ScenarioError');
}

describe('the writers refuse what is not finite', () => {
  it('without injection the run writes its files (the checks pass finite data)', () => {
    const files = run(scenario()).result.files.map((f) => f.path);
    expect(files).toContain('state/n.csv');
    expect(files).toContain('spikes/n.csv');
  });

  it('a NaN injected into a state trace is refused, naming the recorder, the variable, the time and the neuron', () => {
    const orig = StateRecorder.prototype.handleEvent;
    vi.spyOn(StateRecorder.prototype, 'handleEvent').mockImplementation(function (this: StateRecorder, t: number) {
      orig.call(this, t);
      if (this.count === 4) this.record.cols[1][3 * this.width] = NaN; // neuron 0's v_mv at the 4th sample, t = 3 ms
    });
    const m = message(() => run(scenario()));
    expect(m).toMatch(/^state recorder n: v_mv is NaN at t = 3 ms, neuron 0: refusing to write/);
    expect(m).not.toMatch(/\n/);
  });

  it('Infinity injected into a state trace is refused too', () => {
    const orig = StateRecorder.prototype.handleEvent;
    vi.spyOn(StateRecorder.prototype, 'handleEvent').mockImplementation(function (this: StateRecorder, t: number) {
      orig.call(this, t);
      if (this.count === 6) this.record.cols[1][5 * this.width + 1] = -Infinity; // neuron 0's i_exc_mv
    });
    expect(message(() => run(scenario()))).toMatch(/^state recorder n: i_exc_mv is -Infinity at t = 5 ms, neuron 0/);
  });

  it('a spike time that is not finite is refused, naming the spike recorder and the neuron', () => {
    const orig = SpikeRecorder.prototype.sorted;
    vi.spyOn(SpikeRecorder.prototype, 'sorted').mockImplementation(function (this: SpikeRecorder) {
      const tr = orig.call(this);
      if (tr.t.length > 0) tr.t[tr.t.length - 1] = NaN;
      return tr;
    });
    expect(message(() => run(scenario()))).toMatch(/^spike recorder (src|n): t_ms is NaN for neuron \d+/);
  });

  it('a NaN in a recorded weight series is refused, naming the recorder, the time and the synapse', () => {
    const sc = scenario();
    sc.record = { ...sc.record, weights: [{ projection: 'e', every_ms: 2 }] };
    const orig = WeightRecorder.prototype.handleEvent;
    vi.spyOn(WeightRecorder.prototype, 'handleEvent').mockImplementation(function (this: WeightRecorder, t: number) {
      orig.call(this, t);
      if (this.count === 2) this.record.cols[1][this.projection.count] = NaN; // synapse 0 at the 2nd snapshot, t = 2 ms
    });
    expect(message(() => run(sc))).toMatch(/^weight recorder e: weight_mv is NaN at t = 2 ms, synapse 0 -> 0/);
  });

  it('run.json metrics: NaN or Infinity anywhere is refused with its path; null (not defined) is kept', () => {
    expect(() => requireFiniteMetrics({ populations: { exc: { rate_hz: 3, cv_isi: null } } }, 'metrics')).not.toThrow();
    expect(message(() => requireFiniteMetrics({ populations: { exc: { rate_hz: NaN } } }, 'metrics'))).toMatch(/^metrics\.populations\.exc\.rate_hz is NaN/);
    expect(message(() => requireFiniteMetrics({ a: [1, 2, Infinity] }, 'metrics'))).toMatch(/^metrics\.a\[2\] is Infinity/);
  });

  it('a membrane pushed past float64 range (two inputs of 1.7e308 mV) ends in one line and no results folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finite-'));
    try {
      const sc = loadScenario(scenario(1.7e308));
      const out = join(dir, 'out');
      await expect(runScenario(sc, out, { workers: 1, report: false })).rejects.toThrow(/^state recorder n: (v_mv|i_exc_mv) is (NaN|-?Infinity) at t = \d+ ms, neuron 0/);
      expect(existsSync(out)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
