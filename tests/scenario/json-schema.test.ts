import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinDir, listBuiltins } from '../../src/scenario/load.js';
import { SCHEMA_FILE, scenarioJsonSchema, scenarioJsonSchemaText } from '../../src/scenario/json-schema.js';

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

test('the schema file is not listed as a built-in scenario', () => {
  expect(listBuiltins().map((b) => b.file).filter((f) => f.endsWith('.schema.json'))).toEqual([]);
});
