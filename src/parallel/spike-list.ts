/**
 * The spikes of one window of a threaded run (scenario/windowed.ts), in the canonical order every partition agrees
 * on: by time (ms), then by key = population rank * 2^32 + neuron (the rank is the population's place among the
 * scenario's neuron populations). Keys are exact in float64 for fewer than 2^20 populations.
 *
 * Storage is two growable typed arrays, reused window after window: nothing is allocated once they are large enough.
 */

/** key = rank * KEY_SPAN + neuron. */
export const KEY_SPAN = 2 ** 32;

export class SpikeList {
  t = new Float64Array(256);
  key = new Float64Array(256);
  n = 0;

  push(t: number, key: number): void {
    if (this.n === this.t.length) this.grow(2 * this.n);
    this.t[this.n] = t;
    this.key[this.n] = key;
    this.n++;
  }

  clear(): void {
    this.n = 0;
  }

  /** Room for at least m spikes (the contents are kept). */
  grow(m: number): void {
    if (m <= this.t.length) return;
    const t = new Float64Array(m);
    const key = new Float64Array(m);
    t.set(this.t.subarray(0, this.n));
    key.set(this.key.subarray(0, this.n));
    this.t = t;
    this.key = key;
  }

  /**
   * Sorts into the canonical order. Insertion sort: a partition's spikes come in time order (events pop in time
   * order), so only runs of equal times move, and the sort is linear.
   */
  sort(): void {
    const { t, key } = this;
    for (let j = 1; j < this.n; j++) {
      const tj = t[j];
      const kj = key[j];
      let m = j - 1;
      while (m >= 0 && (t[m] > tj || (t[m] === tj && key[m] > kj))) {
        t[m + 1] = t[m];
        key[m + 1] = key[m];
        m--;
      }
      t[m + 1] = tj;
      key[m + 1] = kj;
    }
  }
}

/** Each list's next spike in mergeLists: reused from window to window (grown for more partitions). */
let heads = new Int32Array(8);

/** The lists (each sorted canonically) merged into `out` in the canonical order (out is cleared first). */
export function mergeLists(lists: readonly SpikeList[], out: SpikeList): void {
  out.clear();
  let total = 0;
  for (const l of lists) total += l.n;
  out.grow(total);
  if (lists.length === 1) {
    out.t.set(lists[0].t.subarray(0, total));
    out.key.set(lists[0].key.subarray(0, total));
    out.n = total;
    return;
  }
  // A few partitions: a linear scan of the heads per spike costs less than a heap.
  if (heads.length < lists.length) heads = new Int32Array(lists.length);
  const at = heads.fill(0);
  for (let k = 0; k < total; k++) {
    let best = -1;
    for (let q = 0; q < lists.length; q++) {
      const l = lists[q];
      if (at[q] >= l.n) continue;
      if (best < 0) {
        best = q;
        continue;
      }
      const b = lists[best];
      const tq = l.t[at[q]];
      const tb = b.t[at[best]];
      if (tq < tb || (tq === tb && l.key[at[q]] < b.key[at[best]])) best = q;
    }
    const l = lists[best];
    out.t[k] = l.t[at[best]];
    out.key[k] = l.key[at[best]];
    at[best]++;
  }
  out.n = total;
}
