/**
 * A binary min-heap over the items 0..n-1 of a fixed set, keyed by a float64 time, with decrease- and increase-key
 * in place: each item is in the heap at most once, so moving a neuron's next event never leaves a stale entry
 * behind. Ties pop in item order. Structure-of-arrays storage; no allocation after construction.
 */
export class IndexedHeap {
  readonly key: Float64Array;
  private readonly heap: Int32Array;
  private readonly pos: Int32Array; // position of each item in `heap`, -1 if absent
  size = 0;

  constructor(n: number) {
    this.key = new Float64Array(n).fill(Infinity);
    this.heap = new Int32Array(n);
    this.pos = new Int32Array(n).fill(-1);
  }

  /** Item with the smallest key (-1 if empty) and that key. */
  top(): number {
    return this.size > 0 ? this.heap[0] : -1;
  }

  topKey(): number {
    return this.size > 0 ? this.key[this.heap[0]] : Infinity;
  }

  /** Sets item's key (inserting it if absent); Infinity removes it. */
  set(item: number, k: number): void {
    if (k === Infinity) return this.remove(item);
    const p = this.pos[item];
    const old = this.key[item];
    this.key[item] = k;
    if (p < 0) {
      this.heap[this.size] = item;
      this.pos[item] = this.size;
      this.up(this.size++);
    } else if (k < old) this.up(p);
    else this.down(p);
  }

  remove(item: number): void {
    const p = this.pos[item];
    this.key[item] = Infinity;
    if (p < 0) return;
    const last = this.heap[--this.size];
    this.pos[item] = -1;
    if (p === this.size) return;
    this.heap[p] = last;
    this.pos[last] = p;
    this.up(p);
    this.down(this.pos[last]);
  }

  private less(a: number, b: number): boolean {
    const ka = this.key[a], kb = this.key[b];
    return ka < kb || (ka === kb && a < b);
  }

  private up(p: number): void {
    const { heap, pos } = this;
    const item = heap[p];
    while (p > 0) {
      const parent = (p - 1) >> 1;
      const q = heap[parent];
      if (!this.less(item, q)) break;
      heap[p] = q;
      pos[q] = p;
      p = parent;
    }
    heap[p] = item;
    pos[item] = p;
  }

  private down(p: number): void {
    const { heap, pos } = this;
    const n = this.size;
    const item = heap[p];
    for (;;) {
      let c = 2 * p + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(heap[c + 1], heap[c])) c++;
      if (!this.less(heap[c], item)) break;
      heap[p] = heap[c];
      pos[heap[c]] = p;
      p = c;
    }
    heap[p] = item;
    pos[item] = p;
  }
}
