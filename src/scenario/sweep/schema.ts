/**
 * The sweep file (JSON or YAML): which scenario, which seeds, and the `--set` paths to fix or vary. One zod schema
 * for its shape, exported as JSON Schema (scenarios/sweep.schema.json, `npm run schema`) like the scenario's:
 *
 *   scenario: cuba                      # built-in name, or a path (relative to the sweep file's folder)
 *   seeds: [1, 2, 3]                    # default: the scenario's own seed
 *   set: { duration_ms: 500 }           # fixed overrides
 *   grid:                               # cartesian product, the last path varying fastest
 *     populations.exc.params.tau_m_ms: [15, 20, 25]
 *   zip:                                # varied together: equal lengths, row k of each
 *     projections.ee.weight_mv: [1.0, 1.62]
 *     projections.ie.weight_mv: [-6, -9]
 *
 *   points:                             # explicit points, all setting the same paths
 *     - { populations.exc.size: 100, populations.inh.size: 25 }
 *     - { populations.exc.size: 400, populations.inh.size: 100 }
 *
 * Points are grid combinations x zip rows x listed points (the last fastest); runs are points x seeds (seed
 * fastest). Paths are the
 * paths of `chronoprop run --set`, and values are applied exactly as `--set path=<value as JSON>` would be.
 */
import { z } from 'zod';

const SEED = z.number().int({ message: 'must be an integer' });
/** A `--set` path: a field as error messages print it, or a named element (`populations.exc.size`). */
const pathKey = z.string().regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_-]+|\[\d+\])*$/, { message: 'must be a --set path like populations.exc.params.tau_m_ms' });
const values = z.array(z.unknown()).min(1);

export const sweepSchema = z.strictObject({
  /** Editors' hint, e.g. "./sweep.schema.json"; ignored by chronoprop. */
  $schema: z.string().optional(),
  /** A name for the report; default: the sweep file's name. */
  name: z.string().regex(/^[A-Za-z0-9._-]+$/, { message: 'must be letters, digits, ".", "_" or "-"' }).optional(),
  scenario: z.string().min(1),
  seeds: z.array(SEED).min(1).optional(),
  set: z.record(pathKey, z.unknown()).default({}),
  grid: z.record(pathKey, values).default({}),
  zip: z.record(pathKey, values).default({}),
  /** Explicit points, each a set of path -> value (all with the same paths); crossed with grid and zip. */
  points: z.array(z.record(pathKey, z.unknown())).min(1).optional(),
});

export type SweepInput = z.input<typeof sweepSchema>;
export type SweepFile = z.output<typeof sweepSchema>;

export const SWEEP_SCHEMA_FILE = 'sweep.schema.json';

/** The sweep file's JSON Schema text (input form), for editors; a test keeps scenarios/sweep.schema.json current. */
export function sweepJsonSchemaText(): string {
  const schema = z.toJSONSchema(sweepSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const doc = {
    ...schema,
    title: 'chronoprop sweep',
    description: 'A chronoprop sweep file (JSON or YAML): a scenario, seeds, and --set paths fixed (set), varied as a cartesian product (grid), together (zip) or as listed points (points). See docs/sweep.md.',
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
