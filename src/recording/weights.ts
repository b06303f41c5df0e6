/**
 * Passive weight recorder: snapshots every weight of a projection every `every_ms` (Phase.SAMPLE, after the
 * plasticity of that instant), in the projection's synapse order.
 *
 * The snapshots are the records of a SampledRecorder (sampled.ts): their times, and one float64 weight per synapse.
 * Spilling keeps at most one chunk of snapshots in memory (sampleChunk: 8 MiB by default, at least one snapshot); the
 * outputs are written by streaming over them (scenario/record-files.ts).
 */
import type { Simulation } from '../kernel/simulation.js';
import type { Projection } from '../synapses/projection.js';
import { SampledRecorder } from './sampled.js';

export class WeightRecorder extends SampledRecorder {
  constructor(sim: Simulation, readonly projection: Projection, private readonly everyMs: number) {
    super(sim, `weight recorder ${projection.name}`, 'snapshots', projection.count);
  }

  start(): void {
    this.scheduleAt(0);
  }

  handleEvent(t: number): void {
    const row = this.addRecord(t);
    this.record.cols[1].set(this.projection.weight, row * this.projection.count);
    this.scheduleAt(++this.k * this.everyMs);
  }
}
