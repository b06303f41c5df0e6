/**
 * A population's pending times: an indexed priority queue over the items 0..n-1 of a fixed set, keyed by a float64
 * time (ms), that pops in (time, item) order exactly as IndexedHeap does, with each item in it at most once. Keys on
 * a grid (q * grid_ms for an integer q, as the LIF model's check times are) are held in buckets, one per grid line,
 * instead of in the heap.
 *
 * Why: on CUBA 64% of the key changes are check times on the grid of tau_m / 2, one to seven lines ahead, and nearly
 * all the others (exact crossings, checks inside the current cell) come due within the current cell. In one heap,
 * every check pays two sifts through all n items (pop, re-insert); here it clears one bit and sets another, and the
 * heap keeps only the near, off-grid times.
 *
 * Layout:
 * - a ring of RING buckets, bucket q in slot q mod RING, each a bitset over the items (n / 8 bytes), so that the
 *   items of one grid line come out in item order by scanning words from a low-water mark;
 * - the ring holds grid lines within RING of each other: [minQ, hiQ] with hiQ - minQ < RING, hiQ an upper bound
 *   that resets when the ring empties. An on-grid key outside that window (or past 2^30 lines) goes to the heap,
 *   as does every off-grid key: where an item is changes the speed, never the order.
 * No allocation after construction.
 */
import { IndexedHeap } from './indexed-heap.js';
import type { StateReader, StateWriter } from './state-io.js';

const RING = 16; // a power of 2
const MASK = RING - 1;
const IN_HEAP = -2;
const ABSENT = -1;

export class DueQueue {
  /** Each item's key (Infinity: absent). Owners read it; only set() writes it. */
  readonly key: Float64Array;
  private readonly heap: IndexedHeap;
  /** Grid line q of an item in the ring, or IN_HEAP, or ABSENT. */
  private readonly where: Int32Array;
  private readonly words: number; // 32-bit words per bucket
  private readonly bits: Int32Array; // RING buckets of `words` words
  private readonly count: Int32Array; // items per slot
  private readonly low: Int32Array; // per slot: no set bit in a word below this one
  private inRing = 0;
  private minQ = -1; // lowest nonempty grid line (when inRing > 0)
  private hiQ = -1; // no item on a line above this one
  private ringTop = -1; // lowest item on line minQ, or -1 if not yet found

  /** `grid_ms` 0 or Infinity puts every key in the heap. */
  constructor(n: number, private readonly grid_ms = 0) {
    if (!(grid_ms >= 0)) throw new Error(`grid_ms must be >= 0, got ${grid_ms}`);
    this.key = new Float64Array(n).fill(Infinity);
    this.heap = new IndexedHeap(n);
    this.where = new Int32Array(n).fill(ABSENT);
    this.words = (n + 31) >>> 5;
    this.bits = new Int32Array(RING * this.words);
    this.count = new Int32Array(RING);
    this.low = new Int32Array(RING).fill(this.words);
  }

  /** Item with the smallest (key, item), or -1 if empty. */
  top(): number {
    const h = this.heap.top();
    if (this.inRing === 0) return h;
    const r = this.ringTop >= 0 ? this.ringTop : this.findRingTop();
    if (h < 0) return r;
    const kh = this.key[h];
    const kr = this.key[r];
    return kh < kr || (kh === kr && h < r) ? h : r;
  }

  /** The smallest key (Infinity if empty). */
  topKey(): number {
    const i = this.top();
    return i < 0 ? Infinity : this.key[i];
  }

  /** Sets item's key (inserting it if absent); Infinity removes it. */
  set(item: number, k: number): void {
    this.key[item] = k;
    const w = this.where[item];
    const q = this.lineOf(k);
    if (q >= 0 && this.fits(q)) {
      if (w === q) return; // same line, same bit
      if (w >= 0) this.ringRemove(item, w);
      else if (w === IN_HEAP) this.heap.remove(item);
      this.ringAdd(item, q);
      return;
    }
    if (w >= 0) this.ringRemove(item, w);
    if (k === Infinity) {
      if (w === IN_HEAP) this.heap.remove(item);
      this.where[item] = ABSENT;
    } else {
      this.heap.set(item, k);
      this.where[item] = IN_HEAP;
    }
  }

  /** Number of items queued. */
  get size(): number {
    return this.heap.size + this.inRing;
  }

  /** Every field as it is (checkpoints), the heap's and the ring's layout included. */
  saveState(w: StateWriter): void {
    w.array('key', this.key);
    this.heap.saveState(w.scope('heap'));
    w.array('where', this.where);
    w.array('bits', this.bits);
    w.array('count', this.count);
    w.array('low', this.low);
    w.num('inRing', this.inRing);
    w.num('minQ', this.minQ);
    w.num('hiQ', this.hiQ);
    w.num('ringTop', this.ringTop);
  }

  loadState(r: StateReader): void {
    r.into('key', this.key);
    this.heap.loadState(r.scope('heap'));
    r.into('where', this.where);
    r.into('bits', this.bits);
    r.into('count', this.count);
    r.into('low', this.low);
    this.inRing = r.num('inRing');
    this.minQ = r.num('minQ');
    this.hiQ = r.num('hiQ');
    this.ringTop = r.num('ringTop');
  }

  /** The grid line k lies on (k = q * grid_ms exactly), or -1 if it lies on none the ring can number. */
  private lineOf(k: number): number {
    const g = this.grid_ms;
    if (!(g > 0) || !(k < Infinity)) return -1;
    const q = Math.round(k / g);
    return q >= 0 && q < 2 ** 30 && q * g === k ? q : -1;
  }

  /** True if line q can join the ring's lines without two of them sharing a slot. */
  private fits(q: number): boolean {
    if (this.inRing === 0) return true;
    const lo = q < this.minQ ? q : this.minQ;
    const hi = q > this.hiQ ? q : this.hiQ;
    return hi - lo < RING;
  }

  private ringAdd(item: number, q: number): void {
    const s = q & MASK;
    const word = item >>> 5;
    this.bits[s * this.words + word] |= 1 << (item & 31);
    this.count[s]++;
    if (word < this.low[s]) this.low[s] = word;
    this.where[item] = q;
    if (this.inRing++ === 0) {
      this.minQ = q;
      this.hiQ = q;
      this.ringTop = item;
    } else if (q < this.minQ) {
      this.minQ = q;
      this.ringTop = item;
    } else {
      if (q > this.hiQ) this.hiQ = q;
      if (q === this.minQ && this.ringTop >= 0 && item < this.ringTop) this.ringTop = item;
    }
  }

  private ringRemove(item: number, q: number): void {
    const s = q & MASK;
    this.bits[s * this.words + (item >>> 5)] &= ~(1 << (item & 31));
    this.where[item] = ABSENT;
    if (item === this.ringTop) this.ringTop = -1;
    if (--this.inRing === 0) {
      this.count[s] = 0;
      this.low[s] = this.words;
      this.minQ = -1;
      this.hiQ = -1;
      return;
    }
    if (--this.count[s] > 0) return;
    this.low[s] = this.words;
    if (q !== this.minQ) return;
    // The lowest line emptied: the next nonempty one is within the window.
    let m = q + 1;
    while (this.count[m & MASK] === 0) m++;
    this.minQ = m;
    this.ringTop = -1;
  }

  /** Lowest item on line minQ, by scanning its bitset from the low-water mark. */
  private findRingTop(): number {
    const s = this.minQ & MASK;
    const { bits, words } = this;
    const base = s * words;
    let w = this.low[s];
    while (bits[base + w] === 0) w++;
    this.low[s] = w;
    const b = bits[base + w];
    const item = (w << 5) + (31 - Math.clz32(b & -b));
    this.ringTop = item;
    return item;
  }
}
