/**
 * Experiment settings: each experiment declares a zod schema for `scenario.settings`; problems are reported like
 * every other scenario error (`settings.trials must be > 0, got -1`), before anything runs.
 */
import type { z } from 'zod';
import { ScenarioError } from './errors.js';
import { zodProblems } from './validate.js';
import type { Scenario } from './schema.js';

export function parseSettings<S extends z.ZodType>(schema: S, sc: Scenario): z.output<S> {
  const r = schema.safeParse(sc.settings);
  if (!r.success) throw new ScenarioError(zodProblems(r.error, sc.settings, ['settings']));
  return r.data;
}
