/**
 * The memory budget (src/scenario/budget.ts): the estimate is an upper bound of what a built network holds, the
 * synapse counts follow the connection rules, and a run over its budget or past 32-bit indices is refused with one
 * line naming the part that needs the most.
 */
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/api.js';
import { Network } from '../../src/scenario/network.js';
import { networkMemory } from '../../src/scenario/memory.js';
import { problemsOf } from '../fixtures/problems.js';
import { checkMemory, estimateMemory, expectedSynapses, formatBytes, parseBudget, MAX_INDEX } from '../../src/scenario/budget.js';
import { connect } from '../../src/synapses/connect.js';
import { createRng } from '../../src/kernel/rng.js';

const GiB = 2 ** 30;

/** The problems a call throws as a ScenarioError (fails on anything else). */
const problems = problemsOf;

describe('parseBudget', () => {
  test.each([
    ['2000000000', 2e9],
    ['512M', 512 * 2 ** 20],
    ['8G', 8 * GiB],
    ['1.5GiB', 1.5 * GiB],
    ['2GB', 2 * GiB],
    ['1T', 2 ** 40],
    ['75%', 0.75 * 16 * GiB],
  ])('%s', (spec, bytes) => {
    expect(parseBudget(spec, 16 * GiB).bytes).toBe(bytes);
  });

  test('default: half of the machine', () => {
    expect(parseBudget(undefined, 16 * GiB)).toEqual({ bytes: 8 * GiB, source: "half of this machine's 16 GiB; --max-memory to change" });
  });

  test.each(['', 'x', '8X', '-1G', '0', '0%', '5%B', 'Infinity', '1e999'])('refuses %j', (spec) => {
    expect(problems(() => parseBudget(spec))).toEqual([`--max-memory must be a size like 8G, 512M, 2000000000 or 75%, got ${JSON.stringify(spec)}`]);
  });

  test('formatBytes', () => {
    expect([100, 2048, 1.5 * GiB, 300 * 2 ** 20, 2 ** 70].map(formatBytes)).toEqual(['100 B', '2.0 KiB', '1.5 GiB', '300 MiB', '1.0e+3 EiB']);
  });
});

describe('the estimate', () => {
  test('is at least what the built network holds in typed arrays, part by part (cuba; drawn plastic synapses)', () => {
    const plastic = loadScenario('cuba', {
      set: ['projections.ee.weight_mv={"uniform": [0.5, 2]}', 'projections.ee.delay_ms={"uniform": [0.1, 2]}', 'projections.ee.plasticity={"rule": "stdp", "a_plus": 0.01, "a_minus": 0.012, "tau_plus_ms": 20, "tau_minus_ms": 20, "w_max_mv": 3}'],
    });
    for (const sc of [loadScenario('cuba'), plastic]) {
      const est = estimateMemory(sc);
      const held = networkMemory(new Network(sc));
      const part = (prefix: string) => est.parts.filter((p) => p.field.startsWith(prefix)).reduce((s, p) => s + p.bytes, 0);
      expect(part('populations')).toBeGreaterThanOrEqual(held.neuron_bytes);
      expect(part('projections')).toBeGreaterThanOrEqual(held.synapse_bytes + held.plasticity_bytes);
    }
  });

  test.each([
    [{ rule: 'all_to_all' as const }, 30, 40, false],
    [{ rule: 'all_to_all' as const }, 30, 30, true],
    [{ rule: 'one_to_one' as const }, 30, 40, false],
    [{ rule: 'fixed_probability' as const, p: 0.1 }, 300, 400, false],
    [{ rule: 'fixed_indegree' as const, n: 7 }, 30, 40, true],
    [{ rule: 'receptive_field' as const, width: 10, height: 10, patch: [2, 4] as [number, number] }, 100, 40, false],
    [{ rule: 'pairs' as const, pre: [0, 1, 2], post: [2, 2, 1] }, 3, 3, false],
  ])('synapse count of %j is at least the count connect() makes', (spec, nPre, nPost, same) => {
    const made = connect(spec, nPre, nPost, same, createRng(1, 'x')).count;
    const est = expectedSynapses(spec, nPre, nPost, same);
    expect(est).toBeGreaterThanOrEqual(made);
    if (spec.rule !== 'fixed_probability' && spec.rule !== 'receptive_field') expect(est).toBe(made);
  });

  test('counts worker threads, state samples and weight snapshots', () => {
    const sc = loadScenario('single-neuron');
    const base = estimateMemory(sc).bytes;
    expect(estimateMemory(sc, 3).bytes - base).toBe(3 * 128 * 2 ** 20);
    const longer = loadScenario('single-neuron', { set: ['duration_ms=2000'] });
    expect(estimateMemory(longer).bytes).toBeGreaterThan(base); // ten times the state samples
  });

  test('counts a network split into partitions (--threads) as one more whole network and worker thread per partition', () => {
    const sc = loadScenario('scaling');
    const one = estimateMemory(sc);
    const network = one.parts.filter((p) => p.field.startsWith('populations[') || p.field.startsWith('projections[')).reduce((n, p) => n + p.bytes, 0);
    expect(network).toBeGreaterThan(4000 * 80 * 20); // 320,000 synapses and more
    expect(estimateMemory(sc, 0, undefined, undefined, 3).bytes - one.bytes).toBe(2 * (network + 128 * 2 ** 20));
    expect(estimateMemory(sc, 0, undefined, undefined, 1).bytes).toBe(one.bytes);
  });
});

describe('checkMemory', () => {
  test('refuses a run over its budget in one line naming the projection that needs the most', () => {
    const sc = loadScenario('cuba', { set: ['projections.ee.connect={"rule": "all_to_all"}', 'populations.exc.size=20000'] });
    const p = problems(() => checkMemory(sc, { maxMemory: '8G' }));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^the run would need about 9\.\d GiB of memory, over the budget of 8\.0 GiB \(--max-memory 8G\); most of it for projections\[0\] \(ee\): about 4\.00e8 synapses at 24 B, 8\.9 GiB$/);
    expect(problems(() => checkMemory(sc, { maxMemory: '1000T' }))).toEqual([]);
  });

  test('names a population, or a recorder, when it needs the most', () => {
    const big = loadScenario('single-neuron', { set: ['populations.neuron.size=100000000'] });
    expect(problems(() => checkMemory(big, { maxMemory: '1G' }))[0]).toMatch(/most of it for populations\[1\] \(neuron\): 1\.00e8 neurons at 160 B, 15 GiB$/);
    // A recorder counts at its chunk: 8 MiB's worth by default, here 1000 snapshots of cuba-stdp's 2e5 ee weights.
    const rec = loadScenario('cuba-stdp', { set: ['record.weights=[{"projection": "ee", "every_ms": 1}]'] });
    expect(problems(() => checkMemory(rec, { maxMemory: '1G' }))).toEqual([]);
    const part = estimateMemory(rec, 0, undefined, 1000).parts.find((p) => p.field === 'record.weights[0] (ee)');
    expect(part?.what).toBe('at most 1000 snapshots in memory (the rest on disk) at 1.6 MiB');
    // Writing its files streams that chunk: what needs the most.
    expect(problems(() => checkMemory(rec, { maxMemory: '1G', sampleChunk: 1000 }))[0]).toMatch(/most of it for record\.weights: writing the state and weight files, a chunk at a time: 4 x the largest chunk \(1\.5 GiB\) and a CSV piece, 6\.2 GiB$/);
  });

  test('refuses what no budget can build: 2.5e9 synapses in a projection (a state CSV longer than a string is streamed, not refused)', () => {
    // (10^12 neurons in a population: the schema refuses them, tests/scenario/hostile-regressions.test.ts.)
    const sc = loadScenario('cuba', { set: ['projections.ee.connect={"rule": "all_to_all"}', 'populations.exc.size=50000'] });
    expect(problems(() => checkMemory(sc, { maxMemory: '100000T' }))).toEqual([`projections[0] (ee) would make about 2.50e9 synapses, more than one projection holds (${MAX_INDEX}, 32-bit indices)`]);
    // 1e8 samples of 3 neurons (state/exc.csv of about 1.1e10 characters): written in pieces, held a chunk at a time.
    const rec = loadScenario('cuba', { set: ['record.state[0].every_ms=0.001', 'duration_ms=100000'] });
    expect(problems(() => checkMemory(rec, { maxMemory: '100000T' }))).toEqual([]);
    expect(estimateMemory(rec).bytes).toBe(estimateMemory(loadScenario('cuba', { set: ['record.state[0].every_ms=0.001', 'duration_ms=1000'] })).bytes);
  });

  test('passes every built-in scenario under the default budget of a 4 GiB machine', () => {
    // The budget of a small laptop: no built-in workload should be refused there.
    for (const name of ['cuba', 'brette-b4', 'cuba-stdp', 'song2000', 'single-neuron', 'stdp-window']) {
      expect(estimateMemory(loadScenario(name)).bytes).toBeLessThan(parseBudget(undefined, 4 * GiB).bytes);
    }
  });
});
