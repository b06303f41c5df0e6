/**
 * The scenario file's JSON Schema, derived from the zod schema (schema.ts) with `z.toJSONSchema`, for editors
 * (a scenario may say `"$schema": "./scenario.schema.json"`) and for tools in other languages. It describes the
 * input form: fields with defaults are optional. It checks shape only; ranges expressed as refinements (e.g. a
 * time constant > 0) and cross-references are checked by `chronoprop validate`.
 * scripts/export-schema.ts writes it to scenarios/scenario.schema.json; a test keeps that file current.
 */
import { z } from 'zod';
import { scenarioSchema } from './schema.js';

export const SCHEMA_FILE = 'scenario.schema.json';

export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'chronoprop scenario',
    description: 'A chronoprop scenario file (JSON or YAML). Units: ms and mV; every time or potential field names its unit.',
  };
}

/** The file's text: stable key order, two-space indent, final newline. */
export function scenarioJsonSchemaText(): string {
  return JSON.stringify(scenarioJsonSchema(), null, 2) + '\n';
}
