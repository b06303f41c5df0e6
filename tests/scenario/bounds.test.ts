/**
 * Every lower bound is enforced at the bound itself: for model parameters (ParamSpec min, exclusive or not), for
 * every bounded number in every experiment's settings (read from the exported JSON Schema, so a bound the schema
 * dropped is a bound not tested, and the next test fails) and for the scenario's own fields. At the bound an
 * exclusive bound is refused with its one line and an inclusive one accepted; just past it on the allowed side no
 * bound line appears; just past it on the other side the line does. And validation is one path: the library's
 * loadScenario refuses bad or unknown settings as the command line does.
 */
import { describe, expect, test } from 'vitest';
import type { z } from 'zod';
import { experiments, neuronModels, sourceKinds } from '../../src/registry.js';
import { loadScenario, scenarioJsonSchema } from '../../src/api.js';
import { listBuiltins, readScenario } from '../../src/scenario/load.js';
import { scenarioSchema } from '../../src/scenario/schema.js';
import { problemsOf } from '../fixtures/problems.js';

/** The problem lines of loading `ref` with `set`, [] if it loads. */
const problems = (ref: string | object, set: string[]) => problemsOf(() => loadScenario(ref, { set }));

/** The doubles next to x. */
const nextUp = (x: number) => (x === 0 ? Number.MIN_VALUE : x + Math.abs(x) * Number.EPSILON);
const nextDown = (x: number) => -nextUp(-x);

interface Bound {
  path: string;
  min: number;
  exclusive: boolean;
  integer: boolean;
  /** A probability ([0, 1], inclusive both ends): its message names the interval (schema-fields.ts `probability`). */
  probability?: boolean;
}

/** Number fields with a lower bound in a JSON Schema object, through nested objects (not lists). */
function bounded(schema: any, prefix: string): Bound[] {
  return Object.entries(schema?.properties ?? {}).flatMap(([k, p]: [string, any]): Bound[] => {
    const path = `${prefix}.${k}`;
    if (p.type === 'object') return bounded(p, path);
    // An integer's minimum of -(2^53 - 1) is zod's safe-integer range, not a bound of the field.
    const safe = p.minimum === -Number.MAX_SAFE_INTEGER;
    if ((p.type === 'number' || p.type === 'integer') && (p.exclusiveMinimum !== undefined || (p.minimum !== undefined && !safe))) {
      const exclusive = p.exclusiveMinimum !== undefined;
      const probability = p.minimum === 0 && p.maximum === 1 && p.type === 'number';
      return [{ path, min: exclusive ? p.exclusiveMinimum : p.minimum, exclusive, integer: p.type === 'integer', probability }];
    }
    return [];
  });
}

/** Checks one bound of a field through `--set`: at it, just below and just above. */
function checkBound(ref: string | object, b: Bound): void {
  const line = (v: number) => (b.probability ? `${b.path} must be in [0, 1], got ${v}` : `${b.path} must be ${b.exclusive ? '>' : '>='} ${b.min}, got ${v}`);
  const at = problems(ref, [`${b.path}=${b.min}`]);
  if (b.exclusive) expect(at, `${b.path} = ${b.min}`).toContain(line(b.min));
  else expect(at.filter((p) => p.startsWith(`${b.path} must be >= `)), `${b.path} = ${b.min}`).toEqual([]);
  const below = b.integer ? b.min - 1 : nextDown(b.min);
  expect(problems(ref, [`${b.path}=${below}`]), `${b.path} = ${below}`).toContain(line(below));
  const above = b.integer ? b.min + 1 : nextUp(b.min);
  expect(problems(ref, [`${b.path}=${above}`]).filter((p) => p.startsWith(`${b.path} must be`)), `${b.path} = ${above}`).toEqual([]);
}

describe('model parameters', () => {
  const cases = Object.values(neuronModels).flatMap((m) =>
    Object.entries(m.params).flatMap(([k, spec]) => (spec.min === undefined ? [] : [[m.name, k, spec.min, spec.exclusive === true] as const])),
  );

  test('include exclusive bounds (tau_m_ms > 0)', () => {
    expect(cases).toContainEqual(['lif', 'tau_m_ms', 0, true]);
  });

  test.each(cases)('%s %s at its bound %d (exclusive: %s)', (model, key, min, exclusive) => {
    const sc = {
      name: 'b', seed: 1, duration_ms: 1,
      populations: [{ name: 'p', model, size: 1, params: {} }],
    };
    const path = `populations[0].params.${key}`;
    // Set through --set's name addressing, reported by index.
    const set = (v: number) => problems(sc, [`populations.p.params.${key}=${v}`]);
    const line = (v: number) => `${path} must be ${exclusive ? '>' : '>='} ${min}, got ${v}`;
    if (exclusive) expect(set(min)).toContain(line(min));
    else expect(set(min).filter((p) => p.startsWith(`${path} must be >`))).toEqual([]);
    expect(set(nextDown(min))).toContain(line(nextDown(min)));
    expect(set(nextUp(min)).filter((p) => p.startsWith(`${path} must be >`))).toEqual([]);
  });
});

describe("experiments' settings", () => {
  const schema = scenarioJsonSchema() as any;
  const cases = Object.keys(experiments).flatMap((name) => {
    const builtin = listBuiltins().find((b) => ((readScenario(b.file) as { experiment?: string }).experiment ?? 'network') === name);
    const settings = schema.allOf?.find((c: any) => c.if.properties.experiment.const === name)?.then.properties.settings;
    return builtin ? bounded(settings, 'settings').map((b) => [name, b.path, builtin.file, b] as const) : [];
  });

  test('are many, and cover the settings that had refine bounds', () => {
    const paths = cases.map(([name, path]) => `${name} ${path}`);
    expect(paths).toEqual(expect.arrayContaining(['stdp-window settings.pairings', 'stdp-window settings.delay_ms', 'song2000 settings.window_ms', 'derivative-filter settings.trials', 'stdp-converse settings.neurons']));
    expect(cases.length).toBeGreaterThan(40);
  });

  test.each(cases.map(([name, path, file, b]) => [name, path, file, b]))('%s %s', (_, __, file, b) => {
    checkBound(file, b);
  });
});

describe("the scenario's own fields", () => {
  test.each<[string, Bound]>([
    ['single-neuron', { path: 'duration_ms', min: 0, exclusive: true, integer: false }],
    ['single-neuron', { path: 'limits.max_event_rate_hz', min: 0, exclusive: true, integer: false }],
    ['single-neuron', { path: 'rate.dt_ms', min: 0, exclusive: true, integer: false }],
    ['single-neuron', { path: 'rate.record_every_ms', min: 0, exclusive: true, integer: false }],
    ['single-neuron', { path: 'rate.tau_rate_ms', min: 0, exclusive: true, integer: false }],
    ['single-neuron', { path: 'record.state[0].every_ms', min: 0, exclusive: true, integer: false }],
    ['single-neuron', { path: 'populations[1].size', min: 0, exclusive: true, integer: true }],
    ['cuba', { path: 'projections[0].connect.p', min: 0, exclusive: false, integer: false }],
  ])('%s %s', (ref, b) => {
    const line = (v: number) => (b.path.endsWith('.p') ? `${b.path} must be in [0, 1], got ${v}` : `${b.path} must be ${b.exclusive ? '>' : '>='} ${b.min}, got ${v}`);
    const at = problems(ref, [`${b.path}=${b.min}`]);
    if (b.exclusive) expect(at).toContain(line(b.min));
    else expect(at).not.toContain(line(b.min));
    const below = b.integer ? b.min - 1 : nextDown(b.min);
    expect(problems(ref, [`${b.path}=${below}`])).toContain(line(below));
    const above = b.integer ? b.min + 1 : nextUp(b.min);
    expect(problems(ref, [`${b.path}=${above}`]).filter((p) => p.startsWith(`${b.path} must be`))).toEqual([]);
  });
});

describe('bounds are gt/gte, never refine, so the exported JSON Schema keeps them', () => {
  /** Paths to number schemas carrying a custom check (refine) in a zod schema. */
  function refinedNumbers(s: z.ZodType, at: string, seen = new Set<unknown>()): string[] {
    const def = (s as any)?._zod?.def;
    if (!def || seen.has(s)) return [];
    seen.add(s);
    if (def.type === 'number') return (def.checks ?? []).some((c: any) => c._zod.def.check === 'custom') ? [at] : [];
    const kids: [string, z.ZodType][] = [];
    if (def.shape) kids.push(...Object.entries(def.shape as Record<string, z.ZodType>).map(([k, v]) => [`${at}.${k}`, v] as [string, z.ZodType]));
    for (const k of ['innerType', 'element', 'in', 'out', 'valueType']) if (def[k]) kids.push([at, def[k]]);
    for (const o of def.options ?? []) kids.push([at, o]);
    for (const o of def.items ?? []) kids.push([`${at}[]`, o]);
    return kids.flatMap(([p, k]) => refinedNumbers(k, p, seen));
  }

  test('in the scenario schema, spike sources and experiment settings', () => {
    const found = [
      ...refinedNumbers(scenarioSchema, '(scenario)'),
      ...Object.entries(sourceKinds).flatMap(([name, k]) => refinedNumbers(k.schema, name)),
      ...Object.entries(experiments).flatMap(([name, e]) => (e.settings ? refinedNumbers(e.settings, name) : [])),
    ];
    // spiking-digits' settings (src/learning/spiking/, maintained elsewhere) still use refine: to convert.
    expect(found.filter((p) => !p.startsWith('spiking-digits.'))).toEqual([]);
  });
});

describe('one validation path', () => {
  test.each([
    ['single-neuron', 'settings.bogus=3', 'settings has unknown field "bogus"'],
    ['stdp-window', 'settings.bogus=3', 'settings has unknown field "bogus"'],
    ['stdp-window', 'settings.pairings=-1', 'settings.pairings must be > 0, got -1'],
    ['fa-digits', 'settings.train_examples=-1', 'settings.train_examples must be > 0, got -1'],
    // One trial has no standard error: refused before running, not as a NaN at the end.
    ['derivative-filter', 'settings.trials=1', 'settings.trials must be >= 2, got 1'],
  ])("the library's loadScenario refuses %s with %s", (ref, set, line) => {
    expect(problems(ref, [set])).toEqual([line]);
  });
});
