/**
 * Fuzzing scenario loading with fast-check: whatever the input, loadScenario either returns a scenario or throws a
 * ScenarioError (which the command line prints as one line per problem, exit code 2); never a TypeError or any
 * other crash. A scenario that passes validation must also build and run: the tiny ones are simulated.
 * The seed is fixed so CI is deterministic; set FUZZ_SEED and FUZZ_RUNS to search elsewhere and longer.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { loadScenario } from '../../src/api.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { simulateNetwork } from '../../src/scenario/run-network.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { bases, mutate, mutation } from './fuzz-helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 7);

/** Returns the scenario, null for a ScenarioError; anything else thrown fails the property. */
function load(input: unknown): Scenario | null {
  try {
    return loadScenario(input as object);
  } catch (e) {
    if (e instanceof ScenarioError) {
      for (const p of e.problems) expect(p).toMatch(/^[^\n]+$/); // one line each
      expect(e.problems.length).toBeGreaterThan(0);
      return null;
    }
    throw e;
  }
}

/** Small enough to simulate in milliseconds: few neurons, short, no extreme numbers anywhere. */
function tiny(sc: Scenario): boolean {
  const numbers: number[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'number') numbers.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk({ ...sc, seed: 0 });
  return (
    sc.experiment === 'network' &&
    sc.duration_ms <= 50 &&
    sc.populations.every((p) => p.size <= 8) &&
    sc.record.state.every((s) => (s.every_ms ?? 1) >= 0.5 && (s.times_ms?.length ?? 0) <= 100) &&
    sc.record.weights.every((w) => w.every_ms >= 1) &&
    numbers.length < 2000 &&
    numbers.every((x) => x === 0 || (Math.abs(x) >= 1e-3 && Math.abs(x) <= 2000))
  );
}

describe('loadScenario never crashes', () => {
  test('on arbitrary JSON-like values', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true }), (v) => {
        load(v);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  test.each(bases.map((b) => [b.name, b.scenario] as const))('on mutations of %s, and a valid mutant runs', (_, base) => {
    expect(load(base)).not.toBeNull(); // the shrunk base itself is valid
    let ran = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ms) => {
        const input = ms.reduce((s: unknown, m) => mutate(s, m), base);
        const sc = load(input);
        if (sc && tiny(sc)) {
          simulateNetwork(sc, { workers: 1 });
          ran++;
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The property did exercise the simulator (experiments with their own protocols are only loaded here).
    if (((base as { experiment?: string }).experiment ?? 'network') === 'network') expect(ran).toBeGreaterThan(0);
    if (process.env.FUZZ_RUNS) console.log(`${ran} valid mutants simulated`);
  }, 60_000);
});
