/**
 * The scenario file's JSON Schema, derived from the zod schema (schema.ts) with `z.toJSONSchema`, for editors
 * (a scenario may say `"$schema": "./scenario.schema.json"`) and for tools in other languages. It describes the
 * input form: fields with defaults are optional. Bounds are gt/gte/lte in zod (schema-fields.ts), so they are here
 * too; model parameters, cross-references and rules over several fields are checked by `chronoprop validate`.
 * Each experiment's settings come in as `if experiment is X then settings is X's settings` (a scenario without
 * `experiment` is a `network`); the registry hands them down (api.ts).
 * scripts/export-schema.ts writes it to scenarios/scenario.schema.json; a test keeps that file current.
 */
import { z } from 'zod';
import { scenarioSchema } from './schema.js';

export const SCHEMA_FILE = 'scenario.schema.json';

export function scenarioJsonSchema(settings: Readonly<Record<string, z.ZodType>> = {}): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const json = (s: z.ZodType) => {
    const { $schema: _, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return rest;
  };
  const allOf = Object.keys(settings)
    .sort()
    .map((name) => ({
      if: name === 'network' ? { properties: { experiment: { const: name } } } : { properties: { experiment: { const: name } }, required: ['experiment'] },
      then: { properties: { settings: json(settings[name]) } },
    }));
  fromSonataAlternative(schema, 'populations', ['model', 'size']);
  fromSonataAlternative(schema, 'projections', ['from', 'to', 'receptor', 'connect', 'weight_mv']);
  return {
    ...schema,
    ...(allOf.length > 0 ? { allOf } : {}),
    title: 'chronoprop scenario',
    description: 'A chronoprop scenario file (JSON or YAML). Units: ms and mV; every time or potential field names its unit.',
  };
}

/**
 * A population or projection with `from_sonata` takes the fields its SONATA file gives from the file
 * (scenario/from-sonata.ts): in the input form those fields are required only without from_sonata.
 */
function fromSonataAlternative(schema: Record<string, unknown>, list: 'populations' | 'projections', fromFile: string[]): void {
  const items = (schema.properties as Record<string, { items: Record<string, unknown> }>)[list].items;
  const required = items.required as string[];
  items.required = required.filter((f) => !fromFile.includes(f));
  items.anyOf = [{ required: required.filter((f) => fromFile.includes(f)) }, { required: ['from_sonata'] }];
}

/** The file's text: stable key order, two-space indent, final newline. */
export function scenarioJsonSchemaText(settings: Readonly<Record<string, z.ZodType>> = {}): string {
  return JSON.stringify(scenarioJsonSchema(settings), null, 2) + '\n';
}
