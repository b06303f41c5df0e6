/**
 * Spike-source kinds by name, with the schema of their `params`. Sources emit spikes and receive none.
 *
 * | kind           | params                                                                 |
 * |----------------|------------------------------------------------------------------------|
 * | poisson_source | rate_hz: number, or {times_ms: [...], rates_hz: [...]} (piecewise linear); start_ms, stop_ms |
 * | rate_source    | rates_hz: one rate per neuron (e.g. image pixels); start_ms, stop_ms   |
 * | spike_source   | spike_times_ms: one list of times per neuron                          |
 */
import { z } from 'zod';
import { nonNegative, positive } from '../schema-fields.js';
import type { Simulation } from '../kernel/simulation.js';
import type { Rng } from '../kernel/rng.js';
import { PoissonSource, SpikeSource } from './sources.js';
import type { SpikeEmitter } from './emitter.js';

// Bounds as gte/gt (schema-fields.ts), not refine, so that a JSON Schema of these params keeps them.
const rate = nonNegative;
const time = nonNegative;
/** A field's unit and meaning, for the catalogue (`chronoprop models`, docs/models-table.md). */
const about = (unit: string, description: string) => ({ unit, description });
const window = {
  start_ms: time.default(0).meta(about('ms', 'no spikes before this time')),
  stop_ms: positive.optional().meta(about('ms', 'no spikes from this time on (none: never stops)')),
};

const profile = z
  .strictObject({ times_ms: z.array(time).min(1), rates_hz: z.array(rate).min(1) })
  .refine((p) => p.times_ms.length === p.rates_hz.length, { message: 'times_ms and rates_hz must have equal lengths' })
  .refine((p) => p.times_ms.every((t, k) => k === 0 || t > p.times_ms[k - 1]), { message: 'times_ms must increase' });

export interface SourceKind {
  summary: string;
  schema: z.ZodType;
  /** Checks that need the population size; returns [field, message] or null. */
  checkSize?(params: Record<string, unknown>, size: number): [string, string] | null;
  build(sim: Simulation, name: string, size: number, params: Record<string, unknown>, rng: Rng): SpikeEmitter;
}

type Profile = z.output<typeof profile>;

export const sourceKinds: Readonly<Record<string, SourceKind>> = {
  poisson_source: {
    summary: 'Poisson spike trains, one per neuron, at one rate or a piecewise-linear rate profile (drawn by thinning)',
    schema: z.strictObject({
      rate_hz: z.union([rate, profile]).meta(about('Hz', 'a rate (>= 0), or a profile {times_ms, rates_hz} interpolated linearly')),
      ...window,
    }),
    build(sim, name, size, p, rng) {
      const r = p.rate_hz as number | Profile;
      const constant = typeof r === 'number';
      return new PoissonSource(sim, name, size, rng, {
        rates_hz: new Float64Array(size).fill(constant ? r : 1),
        profile: constant ? undefined : { times_ms: r.times_ms, gain: r.rates_hz },
        start_ms: p.start_ms as number,
        stop_ms: p.stop_ms as number | undefined,
      });
    },
  },
  rate_source: {
    summary: 'Poisson spike trains with one rate per neuron (e.g. image pixels)',
    schema: z.strictObject({ rates_hz: z.array(rate).meta(about('Hz', 'one rate (>= 0) per neuron')), ...window }),
    checkSize: (p, size) =>
      (p.rates_hz as number[]).length === size
        ? null
        : ['rates_hz', `must have one rate per neuron (${size}), got ${(p.rates_hz as number[]).length}`],
    build(sim, name, size, p, rng) {
      return new PoissonSource(sim, name, size, rng, {
        rates_hz: Float64Array.from(p.rates_hz as number[]),
        start_ms: p.start_ms as number,
        stop_ms: p.stop_ms as number | undefined,
      });
    },
  },
  spike_source: {
    summary: 'Spikes at listed times',
    schema: z.strictObject({ spike_times_ms: z.array(z.array(time)).meta(about('ms', 'one list of spike times (>= 0) per neuron')) }),
    checkSize: (p, size) =>
      (p.spike_times_ms as number[][]).length === size
        ? null
        : ['spike_times_ms', `must have one list per neuron (${size}), got ${(p.spike_times_ms as number[][]).length}`],
    build: (sim, name, _size, p) => new SpikeSource(sim, name, p.spike_times_ms as number[][]),
  },
};
