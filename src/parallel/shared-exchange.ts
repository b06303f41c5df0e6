/**
 * The window's-end exchange of a threaded run between threads, in shared memory (scenario/windowed.ts Gather).
 *
 * Memory: a control block (Int32: arrivals at the barrier, the barrier's generation, an abort flag) and two slots per
 * partition of 2 + 2 * SLOT_SPIKES float64s: the spikes it posts this round, how many it still has after them, then
 * (t, key) pairs. A partition with more spikes than a slot holds posts them over several rounds; every partition
 * reads every slot each round, so all of them agree when the rounds end. Each round is one barrier, after the posts
 * (then everything posted is visible: Atomics operations order the plain writes before them). Rounds alternate
 * between the two slots, so a partition that runs ahead writes the other slot while the others still read this one;
 * it cannot come back to this one before they have all passed the next barrier, which they reach only after reading.
 *
 * The barrier spins briefly before it sleeps (Atomics.wait): a window's work is short and the threads usually
 * arrive close together. Sleeps wake every ABORT_POLL_MS to look at the abort flag, which a partition that failed
 * sets (abort()), so that no thread waits for ever on a partner that is gone; the others then throw
 * PartitionAborted, and the failed partition's own error is the one reported.
 */
import { SpikeList, mergeLists } from './spike-list.js';

const ARRIVED = 0;
const GENERATION = 1;
const ABORTED = 2;
/** (t, key) pairs a slot holds per round, unless told otherwise (exchangeBuffers). */
export const SLOT_SPIKES = 1 << 14;
const SPIN = 2_000;
const ABORT_POLL_MS = 100;

/** The shared buffers of a run of `count` partitions (posted to the workers as they are). */
export interface ExchangeBuffers {
  control: SharedArrayBuffer;
  slots: SharedArrayBuffer;
  count: number;
  /** (t, key) pairs a slot holds per round. */
  slotSpikes: number;
}

export function exchangeBuffers(count: number, slotSpikes = SLOT_SPIKES): ExchangeBuffers {
  return {
    control: new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT),
    slots: new SharedArrayBuffer(2 * count * (2 + 2 * slotSpikes) * Float64Array.BYTES_PER_ELEMENT),
    count,
    slotSpikes,
  };
}

/** Thrown in a partition whose partner failed: the partner's error is the one to report. */
export class PartitionAborted extends Error {
  constructor() {
    super('a partition of the threaded run failed');
  }
}

export class SharedExchange {
  private readonly control: Int32Array;
  /** Slots by side (0, 1), then partition. */
  private readonly slots: Float64Array[][];
  /** The side the next round posts on. */
  private side = 0;
  private readonly count: number;
  private readonly slotSpikes: number;
  /** What each partition posted, gathered over the rounds. */
  private readonly from: SpikeList[];

  constructor(buffers: ExchangeBuffers, private readonly index: number) {
    this.control = new Int32Array(buffers.control);
    this.count = buffers.count;
    this.slotSpikes = buffers.slotSpikes;
    const stride = 2 + 2 * buffers.slotSpikes;
    this.slots = [0, 1].map((side) =>
      Array.from({ length: buffers.count }, (_, q) => new Float64Array(buffers.slots, (side * buffers.count + q) * stride * 8, stride)),
    );
    this.from = Array.from({ length: buffers.count }, () => new SpikeList());
  }

  /** scenario/windowed.ts Gather for this thread's one partition: every partition's held spikes, merged, into out. */
  gather(own: SpikeList, out: SpikeList): void {
    let sent = 0;
    for (;;) {
      const slots = this.slots[this.side];
      this.side ^= 1;
      const slot = slots[this.index];
      const m = Math.min(this.slotSpikes, own.n - sent);
      slot[0] = m;
      slot[1] = own.n - sent - m;
      for (let k = 0; k < m; k++) {
        slot[2 + 2 * k] = own.t[sent + k];
        slot[3 + 2 * k] = own.key[sent + k];
      }
      sent += m;
      this.barrier();
      let more = false;
      for (let q = 0; q < this.count; q++) {
        const s = slots[q];
        const list = this.from[q];
        for (let k = 0, n = s[0]; k < n; k++) list.push(s[2 + 2 * k], s[3 + 2 * k]);
        if (s[1] > 0) more = true;
      }
      if (!more) break;
    }
    mergeLists(this.from, out);
    for (const l of this.from) l.clear();
  }

  /** Tells the other partitions that this one failed (they throw PartitionAborted at their next barrier). */
  abort(): void {
    Atomics.store(this.control, ABORTED, 1);
    Atomics.notify(this.control, GENERATION);
  }

  /** Waits until every partition has come here (e.g. built its network, so that the run's timing starts together). */
  barrier(): void {
    const c = this.control;
    const gen = Atomics.load(c, GENERATION);
    if (Atomics.add(c, ARRIVED, 1) === this.count - 1) {
      Atomics.store(c, ARRIVED, 0);
      Atomics.add(c, GENERATION, 1);
      Atomics.notify(c, GENERATION);
      return;
    }
    for (let spins = 0; Atomics.load(c, GENERATION) === gen; spins++) {
      if (Atomics.load(c, ABORTED) !== 0) throw new PartitionAborted();
      if (spins >= SPIN) Atomics.wait(c, GENERATION, gen, ABORT_POLL_MS);
    }
  }
}
