import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinDir, listBuiltins } from '../../src/scenario/load.js';
import { SCHEMA_FILE } from '../../src/scenario/json-schema.js';
import { scenarioJsonSchema, scenarioJsonSchemaText } from '../../src/api.js';

test('the committed scenarios/scenario.schema.json equals a fresh export (run: npm run build && node dist/export-schema.js)', () => {
  expect(readFileSync(join(builtinDir(), SCHEMA_FILE), 'utf8')).toBe(scenarioJsonSchemaText());
});

test('the schema carries the bounds and the closed field lists of the zod schema', () => {
  const s = scenarioJsonSchema() as any;
  expect(s.required).toEqual(expect.arrayContaining(['name', 'seed', 'duration_ms']));
  expect(s.additionalProperties).toBe(false);
  expect(s.properties.duration_ms.exclusiveMinimum).toBe(0);
  const connect = s.properties.projections.items.properties.connect;
  const fp = connect.oneOf ?? connect.anyOf;
  const p = fp.find((o: any) => o.properties.rule.const === 'fixed_probability').properties.p;
  expect([p.minimum, p.maximum]).toEqual([0, 1]);
});

test("each experiment's settings, with their bounds, apply when the scenario names it", () => {
  const s = scenarioJsonSchema() as any;
  const then = (name: string) => s.allOf.find((c: any) => c.if.properties.experiment.const === name).then.properties.settings;
  const w = then('stdp-window');
  expect(w.additionalProperties).toBe(false);
  expect(w.properties.pairings).toMatchObject({ type: 'integer', exclusiveMinimum: 0 });
  expect(w.properties.delay_ms).toMatchObject({ type: 'number', minimum: 0 });
  expect(w.properties.offsets_ms.properties.step.exclusiveMinimum).toBe(0);
  expect(then('derivative-filter').properties.trials).toMatchObject({ type: 'integer', minimum: 2 });
  expect(then('song2000').properties.window_ms.exclusiveMinimum).toBe(0);
  // A scenario without `experiment` is a network, which takes no settings.
  const network = s.allOf.find((c: any) => c.if.properties.experiment.const === 'network');
  expect(network.if.required).toBeUndefined();
  expect(network.then.properties.settings).toMatchObject({ type: 'object', additionalProperties: false });
});

test('the schema file is not listed as a built-in scenario', () => {
  expect(listBuiltins().map((b) => b.file).filter((f) => f.endsWith('.schema.json'))).toEqual([]);
});
