/**
 * A spike source's listed trains merged into one time-ordered stream, in exactly the order the kernel would pop them
 * if each neuron kept its own next spike queued (the way SpikeSource worked before the stream, and the order every
 * run since has given): by time, then by insertion. A neuron's first spike from t0 on is inserted at the start, in
 * neuron order; each later one when the neuron's previous spike is handled. So at equal times, first spikes come in
 * neuron order, then the others in the order their predecessors were handled (a neuron's own repeated time last).
 *
 * The merge replays exactly that, with a local insertion counter: a binary heap of (time, insertion) holding one
 * spike per neuron. Insertion numbers the kernel hands out elsewhere in between do not change the relative order of
 * one source's own, so the stream is the kernel's order restricted to this source. Built once, before the run.
 */

export interface SpikeStream {
  /** Spike times (ms), in the order they are handled. */
  t: Float64Array;
  /** The neuron of each spike. */
  neuron: Int32Array;
}

/** Every spike at or after t0 of `times` (one sorted train per neuron), merged as described above. */
export function mergeTrains(times: readonly Float64Array[], t0: number): SpikeStream {
  const n = times.length;
  const cursor = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const ts = times[i];
    let c = 0;
    while (c < ts.length && ts[c] < t0) c++;
    cursor[i] = c;
    total += ts.length - c;
  }
  const out: SpikeStream = { t: new Float64Array(total), neuron: new Int32Array(total) };
  const heap = new TimeSeqHeap(n);
  let seq = 0;
  for (let i = 0; i < n; i++) if (cursor[i] < times[i].length) heap.push(times[i][cursor[i]], seq++, i);
  for (let p = 0; p < total; p++) {
    const i = heap.topItem();
    out.t[p] = heap.topTime();
    out.neuron[p] = i;
    const ts = times[i];
    const c = ++cursor[i];
    if (c < ts.length) heap.replaceTop(ts[c], seq++, i);
    else heap.popTop();
  }
  return out;
}

/** A min-heap of (time, seq, item), ordered by time then seq (seq unique). Structure of arrays, fixed capacity. */
class TimeSeqHeap {
  private readonly time: Float64Array;
  private readonly seq: Float64Array;
  private readonly item: Int32Array;
  private size = 0;

  constructor(capacity: number) {
    this.time = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.item = new Int32Array(capacity);
  }

  topItem(): number {
    return this.item[0];
  }

  topTime(): number {
    return this.time[0];
  }

  push(t: number, s: number, it: number): void {
    const { time, seq, item } = this;
    let p = this.size++;
    while (p > 0) {
      const parent = (p - 1) >> 1;
      if (!(t < time[parent] || (t === time[parent] && s < seq[parent]))) break;
      time[p] = time[parent];
      seq[p] = seq[parent];
      item[p] = item[parent];
      p = parent;
    }
    time[p] = t;
    seq[p] = s;
    item[p] = it;
  }

  popTop(): void {
    const n = --this.size;
    if (n > 0) this.siftDown(this.time[n], this.seq[n], this.item[n]);
  }

  replaceTop(t: number, s: number, it: number): void {
    this.siftDown(t, s, it);
  }

  /** Places (t, s, it) at the root's hole and sifts it down. */
  private siftDown(t: number, s: number, it: number): void {
    const { time, seq, item } = this;
    const n = this.size;
    let p = 0;
    for (;;) {
      let c = 2 * p + 1;
      if (c >= n) break;
      if (c + 1 < n && (time[c + 1] < time[c] || (time[c + 1] === time[c] && seq[c + 1] < seq[c]))) c++;
      if (!(time[c] < t || (time[c] === t && seq[c] < s))) break;
      time[p] = time[c];
      seq[p] = seq[c];
      item[p] = item[c];
      p = c;
    }
    time[p] = t;
    seq[p] = s;
    item[p] = it;
  }
}
