/**
 * What the state and weight recorders share: passive receivers of their own Phase.SAMPLE events whose records are
 * (time, values) pairs in a SpillBuffer (spill.ts), column 0 the times (float64), column 1 `width` float64 values per
 * record. In memory the records grow by doubling; a recorder that spills (`spillTo`, given by the runner) holds at
 * most one chunk of them and appends the rest to `<base>.t_ms.f64` and `<base>.values.f64`. Checkpoints hold the
 * index of the next record, the spilled count and the tail; the next record's event is in the queue.
 */
import type { Simulation, EventReceiver } from '../kernel/simulation.js';
import { Phase } from '../kernel/event-queue.js';
import { SpillBuffer } from './spill.js';
import type { StateReader, StateWriter } from '../kernel/state-io.js';

export abstract class SampledRecorder implements EventReceiver {
  /** The records: column 0 the times, column 1 the values (see the header). */
  readonly record: SpillBuffer;
  private readonly targetId: number;
  /** Index of the next record. */
  protected k = 0;

  /** `owner` names the recorder in messages (e.g. "state recorder exc"), `unit` its records ("samples"). */
  constructor(protected readonly sim: Simulation, owner: string, unit: string, width: number) {
    this.record = new SpillBuffer(owner, unit, [
      { key: 'times', suffix: '.t_ms.f64', type: 'f64', width: 1 },
      { key: 'values', suffix: '.values.f64', type: 'f64', width },
    ]);
    this.targetId = sim.register(this);
  }

  abstract start(): void;
  abstract handleEvent(t: number): void;

  /** Records so far. */
  get count(): number {
    return this.record.count;
  }

  /** Keeps at most `chunk` records in memory and appends the rest to `<base>.t_ms.f64`, `<base>.values.f64`. */
  spillTo(base: string, chunk: number): void {
    this.record.spillTo(base, chunk);
  }

  /** The records so far and the index of the next (checkpoints; the next record's event is in the queue). */
  saveState(w: StateWriter): void {
    w.num('k', this.k);
    this.record.saveState(w);
  }

  loadState(r: StateReader): void {
    this.k = r.num('k');
    this.record.loadState(r);
  }

  /** Sample at t: the in-memory row of the new record, its time written; its values go to cols[1] from row * width. */
  protected addRecord(t: number): number {
    const b = this.record;
    if (b.n === b.capacity) b.makeRoom();
    const row = b.n++;
    b.cols[0][row] = t;
    return row;
  }

  /** Schedules the next record's event at t. */
  protected scheduleAt(t: number): void {
    this.sim.schedule(t, Phase.SAMPLE, this.targetId, 0, 0);
  }
}
