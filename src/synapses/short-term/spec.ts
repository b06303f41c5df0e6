/**
 * A projection's `short_term` field: the short-term plasticity rule and its parameters (zod schemas, one per rule,
 * told apart by `rule`; embedded in the scenario schema, scenario/schema.ts). Each field carries its unit and meaning
 * for `chronoprop models`, docs/models-table.md and the JSON Schema.
 */
import { z } from 'zod';
import { about } from '../plasticity/spec.js';

export const tsodyksMarkramSpec = z.strictObject({
  rule: z.literal('tsodyks_markram'),
  U: z.number().gt(0, { message: 'must be in (0, 1]' }).lte(1, { message: 'must be in (0, 1]' }).default(0.5)
    .meta(about('', 'utilization: the share of resources a spike uses after a long silence')),
  tau_rec_ms: z.number().gt(0, { message: 'must be > 0' }).default(800).meta(about('ms', 'recovery of resources (depression)')),
  tau_fac_ms: z.number().gte(0, { message: 'must be >= 0' }).default(0).meta(about('ms', 'decay of utilization (facilitation; 0: none)')),
});

export type TsodyksMarkramSpec = z.output<typeof tsodyksMarkramSpec>;

/** Every short-term rule's spec, by `rule`. */
export const shortTermSpec = z.discriminatedUnion('rule', [tsodyksMarkramSpec]);

export type ShortTermSpec = z.output<typeof shortTermSpec>;
