/**
 * A binary min-heap over the items 0..n-1 of a fixed set, keyed by a float64 time, with decrease- and increase-key
 * in place: each item is in the heap at most once, so moving a neuron's next event never leaves a stale entry
 * behind. Ties pop in item order. Structure-of-arrays storage; no allocation after construction.
 *
 * Keys are stored twice: by item (`key`, what owners read) and in heap order beside the items (`hkey`), so that
 * sifting compares keys that lie next to each other in memory instead of chasing `key[heap[c]]`. Sift routines take
 * no double argument (they read the key of the moving item), so that an un-inlined call never boxes one.
 */
import type { StateReader, StateWriter } from './state-io.js';

export class IndexedHeap {
  readonly key: Float64Array;
  private readonly heap: Int32Array;
  private readonly hkey: Float64Array; // hkey[p] = key[heap[p]]
  private readonly pos: Int32Array; // position of each item in `heap`, -1 if absent
  size = 0;

  constructor(n: number) {
    this.key = new Float64Array(n).fill(Infinity);
    this.heap = new Int32Array(n);
    this.hkey = new Float64Array(n);
    this.pos = new Int32Array(n).fill(-1);
  }

  /** Item with the smallest key (-1 if empty) and that key. */
  top(): number {
    return this.size > 0 ? this.heap[0] : -1;
  }

  topKey(): number {
    return this.size > 0 ? this.hkey[0] : Infinity;
  }

  /** Sets item's key (inserting it if absent); Infinity removes it. */
  set(item: number, k: number): void {
    if (k === Infinity) return this.remove(item);
    const p = this.pos[item];
    const old = this.key[item];
    this.key[item] = k;
    if (p < 0) this.up(this.size++, item);
    else if (k < old) this.up(p, item);
    else this.down(p, item);
  }

  remove(item: number): void {
    const p = this.pos[item];
    this.key[item] = Infinity;
    if (p < 0) return;
    const n = --this.size;
    this.pos[item] = -1;
    if (p === n) return;
    // The last item fills the hole, then moves up or down from there.
    const last = this.heap[n];
    const parent = (p - 1) >> 1;
    if (p > 0 && this.before(this.hkey[n], last, this.hkey[parent], this.heap[parent])) this.up(p, last);
    else this.down(p, last);
  }

  /** The heap as it is laid out (checkpoints: a loaded heap sifts exactly as this one would). */
  saveState(w: StateWriter): void {
    w.num('size', this.size);
    w.array('key', this.key);
    w.array('heap', this.heap);
    w.array('hkey', this.hkey);
    w.array('pos', this.pos);
  }

  loadState(r: StateReader): void {
    this.size = r.num('size');
    r.into('key', this.key);
    r.into('heap', this.heap);
    r.into('hkey', this.hkey);
    r.into('pos', this.pos);
  }

  /** (ka, a) orders before (kb, b): smaller key, ties by item. */
  private before(ka: number, a: number, kb: number, b: number): boolean {
    return ka < kb || (ka === kb && a < b);
  }

  /** Places item (key this.key[item]) at position p or above, moving larger parents down. */
  private up(p: number, item: number): void {
    const { heap, hkey, pos } = this;
    const k = this.key[item];
    while (p > 0) {
      const parent = (p - 1) >> 1;
      const q = heap[parent];
      const kq = hkey[parent];
      if (!(k < kq || (k === kq && item < q))) break;
      heap[p] = q;
      hkey[p] = kq;
      pos[q] = p;
      p = parent;
    }
    heap[p] = item;
    hkey[p] = k;
    pos[item] = p;
  }

  /** Places item (key this.key[item]) at position p or below, moving smaller children up. */
  private down(p: number, item: number): void {
    const { heap, hkey, pos } = this;
    const k = this.key[item];
    const n = this.size;
    for (;;) {
      let c = 2 * p + 1;
      if (c >= n) break;
      let q = heap[c];
      let kq = hkey[c];
      if (c + 1 < n) {
        const r = heap[c + 1];
        const kr = hkey[c + 1];
        if (kr < kq || (kr === kq && r < q)) {
          c++;
          q = r;
          kq = kr;
        }
      }
      if (!(kq < k || (kq === k && q < item))) break;
      heap[p] = q;
      hkey[p] = kq;
      pos[q] = p;
      p = c;
    }
    heap[p] = item;
    hkey[p] = k;
    pos[item] = p;
  }
}
