/**
 * Passive weight recorder: snapshots every weight of a projection every `every_ms` (Phase.SAMPLE, after the
 * plasticity of that instant), in the projection's synapse order.
 *
 * The snapshots are records of a SpillBuffer (spill.ts): column 0 their times (float64), column 1 the weights, one
 * float64 per synapse. In memory they grow by doubling; a recorder that spills (`spillTo`, given by the runner) holds
 * at most one chunk of snapshots (sampleChunk: 8 MiB by default, at least one snapshot) and appends the rest to
 * `<base>.t_ms.f64` and `<base>.values.f64`; the outputs are written by streaming over them
 * (scenario/record-files.ts), and checkpoints hold the spilled count and the tail.
 */
import type { Simulation, EventReceiver } from '../kernel/simulation.js';
import { Phase } from '../kernel/event-queue.js';
import type { Projection } from '../synapses/projection.js';
import { SpillBuffer } from './spill.js';
import type { StateReader, StateWriter } from '../kernel/state-io.js';

export class WeightRecorder implements EventReceiver {
  /** The snapshots: column 0 the times, column 1 the weights (see the header). */
  readonly record: SpillBuffer;
  private readonly targetId: number;
  private k = 0;

  constructor(private readonly sim: Simulation, readonly projection: Projection, private readonly everyMs: number) {
    this.record = new SpillBuffer(`weight recorder ${projection.name}`, 'snapshots', [
      { key: 'times', suffix: '.t_ms.f64', type: 'f64', width: 1 },
      { key: 'values', suffix: '.values.f64', type: 'f64', width: projection.count },
    ]);
    this.targetId = sim.register(this);
  }

  start(): void {
    this.sim.schedule(0, Phase.SAMPLE, this.targetId, 0, 0);
  }

  /** Snapshots so far. */
  get count(): number {
    return this.record.count;
  }

  /** Keeps at most `chunk` snapshots in memory and appends the rest to `<base>.t_ms.f64`, `<base>.values.f64`. */
  spillTo(base: string, chunk: number): void {
    this.record.spillTo(base, chunk);
  }

  /** The snapshots so far and the index of the next (checkpoints). */
  saveState(w: StateWriter): void {
    w.num('k', this.k);
    this.record.saveState(w);
  }

  loadState(r: StateReader): void {
    this.k = r.num('k');
    this.record.loadState(r);
  }

  handleEvent(t: number): void {
    const b = this.record;
    if (b.n === b.capacity) b.makeRoom();
    const row = b.n++;
    b.cols[0][row] = t;
    b.cols[1].set(this.projection.weight, row * this.projection.count);
    this.sim.schedule(++this.k * this.everyMs, Phase.SAMPLE, this.targetId, 0, 0);
  }
}
