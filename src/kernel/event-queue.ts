/**
 * The event queue: a binary heap (tinyqueue) of integer handles into structure-of-arrays storage.
 *
 * An event is (time, phase, seq, target, a, b). It pops in increasing (time, phase, seq):
 * - time: float64 ms, continuous;
 * - phase: what happens first among events at the same time (see Phase);
 * - seq: insertion counter, so ties of time and phase pop in the order they were scheduled.
 * This total order makes every run deterministic (a bare heap returns equal keys in no fixed order).
 *
 * Handles are recycled through a free list and the arrays grow by doubling, so scheduling allocates nothing in the
 * steady state. `target` names the receiver registered with the simulation; `a` and `b` are its integer payload
 * (e.g. neuron index and version stamp, or a projection's delay group).
 */
import TinyQueue from 'tinyqueue';
import { CheckpointMismatch, type StateReader, type StateWriter } from './state-io.js';

/** Order of simultaneous events: synaptic arrivals, then spikes (threshold crossings, source emissions), then probes. */
export const Phase = { DELIVER: 0, SPIKE: 1, SAMPLE: 2 } as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

const SEQ_SPAN = 2 ** 50; // phase * SEQ_SPAN + seq is exact in float64 for seq < 2^50

export class EventQueue {
  time: Float64Array;
  key: Float64Array; // phase * SEQ_SPAN + seq
  target: Int32Array;
  a: Int32Array;
  b: Int32Array;
  private free: Int32Array;
  private nFree = 0;
  private capacity: number;
  private seq = 0;
  private heap: TinyQueue<number>;

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.time = new Float64Array(capacity);
    this.key = new Float64Array(capacity);
    this.target = new Int32Array(capacity);
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.free = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.free[i] = capacity - 1 - i;
    this.nFree = capacity;
    this.heap = new TinyQueue<number>([], this.comparator());
  }

  /** (time, key) order over the current arrays; rebuilt when they grow so the hot compare reads locals only. */
  private comparator(): (x: number, y: number) => number {
    const T = this.time;
    const K = this.key;
    return (x, y) => T[x] - T[y] || K[x] - K[y];
  }

  get length(): number {
    return this.heap.length;
  }

  push(t: number, phase: Phase, target: number, a: number, b: number): void {
    this.pushReserved(t, phase, this.seq++, target, a, b);
  }

  /** Takes the next insertion number without queueing anything (see Simulation.reserve). */
  reserve(): number {
    return this.seq++;
  }

  /** Queues an event under an insertion number taken earlier with reserve(). */
  pushReserved(t: number, phase: Phase, seq: number, target: number, a: number, b: number): void {
    if (this.nFree === 0) this.grow();
    const h = this.free[--this.nFree];
    this.time[h] = t;
    this.key[h] = phase * SEQ_SPAN + seq;
    this.target[h] = target;
    this.a[h] = a;
    this.b[h] = b;
    this.heap.push(h);
  }

  /** Time of the next event, or Infinity when empty. */
  peekTime(): number {
    const h = this.heap.peek();
    return h === undefined ? Infinity : this.time[h];
  }

  /** Whether an event at (t, phase, seq) would pop before every queued one (true when the queue is empty). */
  precedesHead(t: number, phase: Phase, seq: number): boolean {
    const h = this.heap.peek();
    if (h === undefined) return true;
    const th = this.time[h];
    return t < th || (t === th && phase * SEQ_SPAN + seq < this.key[h]);
  }

  /** Removes the next event and returns its handle; read its fields before the next push. */
  pop(): number {
    const h = this.heap.pop() as number;
    this.free[this.nFree++] = h;
    return h;
  }

  /**
   * The queue exactly as it stands (checkpoints): the events' fields, the free list, the insertion counter and the
   * heap's own array, so that a loaded queue pops the same events in the same order and hands out the same handles.
   */
  saveState(w: StateWriter): void {
    w.num('capacity', this.capacity);
    w.num('seq', this.seq);
    w.num('nFree', this.nFree);
    for (const [k, a] of [['time', this.time], ['key', this.key], ['target', this.target], ['a', this.a], ['b', this.b], ['free', this.free]] as const) {
      w.array(k, a);
    }
    w.array('heap', Int32Array.from((this.heap as unknown as { data: number[] }).data));
  }

  loadState(r: StateReader): void {
    const cap = r.num('capacity');
    this.capacity = cap;
    this.time = r.like('time', new Float64Array(0)).slice();
    this.key = r.like('key', new Float64Array(0)).slice();
    this.target = r.like('target', new Int32Array(0)).slice();
    this.a = r.like('a', new Int32Array(0)).slice();
    this.b = r.like('b', new Int32Array(0)).slice();
    this.free = r.like('free', new Int32Array(0)).slice();
    for (const x of [this.time, this.key, this.target, this.a, this.b, this.free]) {
      if (x.length !== cap) throw new CheckpointMismatch(`the event queue's arrays hold ${x.length} entries, not its capacity ${cap}`);
    }
    this.seq = r.num('seq');
    this.nFree = r.num('nFree');
    const heap = this.heap as unknown as { data: number[]; length: number; compare: (x: number, y: number) => number };
    heap.data = Array.from(r.like('heap', new Int32Array(0)));
    heap.length = heap.data.length;
    heap.compare = this.comparator();
  }

  private grow(): void {
    const old = this.capacity;
    const cap = old * 2;
    const copy = <T extends Float64Array | Int32Array>(src: T, make: (n: number) => T): T => {
      const dst = make(cap);
      dst.set(src);
      return dst;
    };
    this.time = copy(this.time, (n) => new Float64Array(n));
    this.key = copy(this.key, (n) => new Float64Array(n));
    this.target = copy(this.target, (n) => new Int32Array(n));
    this.a = copy(this.a, (n) => new Int32Array(n));
    this.b = copy(this.b, (n) => new Int32Array(n));
    const free = new Int32Array(cap);
    for (let i = 0; i < cap - old; i++) free[i] = cap - 1 - i;
    this.free = free;
    this.nFree = cap - old;
    this.capacity = cap;
    // tinyqueue reads `compare` from the instance on every push and pop (its typings omit the field).
    (this.heap as unknown as { compare: (x: number, y: number) => number }).compare = this.comparator();
  }
}
