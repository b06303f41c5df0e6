/**
 * A spike source's listed trains merged into one time-ordered stream, in exactly the order the kernel would pop them
 * if each neuron kept its own next spike queued (the way SpikeSource worked before the stream, and the order every
 * run since has given): by time, then by insertion. A neuron's first spike from t0 on is inserted at the start, in
 * neuron order; each later one when the neuron's previous spike is handled. So at equal times, first spikes come in
 * neuron order, then the others in the order their predecessors were handled (a neuron's own repeated time last).
 *
 * The merge replays exactly that, with a local insertion counter: a heap (tinyqueue, as the kernel's queue) of
 * neurons ordered by their next spike's (time, insertion), one entry per neuron. Insertion numbers the kernel hands out elsewhere in between do not change the relative order of
 * one source's own, so the stream is the kernel's order restricted to this source. Built once, before the run.
 */
import TinyQueue from 'tinyqueue';

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
  // One entry per neuron with spikes left: its next spike's time and insertion number (unique, so the order is total).
  const headT = new Float64Array(n);
  const headSeq = new Float64Array(n);
  const heap = new TinyQueue<number>([], (a, b) => headT[a] - headT[b] || headSeq[a] - headSeq[b]);
  let seq = 0;
  for (let i = 0; i < n; i++) {
    if (cursor[i] < times[i].length) {
      headT[i] = times[i][cursor[i]];
      headSeq[i] = seq++;
      heap.push(i);
    }
  }
  for (let p = 0; p < total; p++) {
    const i = heap.pop()!;
    out.t[p] = headT[i];
    out.neuron[p] = i;
    const ts = times[i];
    const c = ++cursor[i];
    if (c < ts.length) {
      headT[i] = ts[c];
      headSeq[i] = seq++;
      heap.push(i);
    }
  }
  return out;
}
