/**
 * A strided view of one field in an interleaved record array: element i is data[offset + stride * i]. Models that
 * keep each neuron's variables together (one cache line per neuron, models/lif.ts) expose their state columns
 * through it.
 */
import type { StateColumn } from './model.js';

export class StridedColumn implements StateColumn {
  constructor(
    private readonly data: Float64Array,
    private readonly offset: number,
    private readonly stride: number,
    readonly length: number,
  ) {}

  get(i: number): number {
    return this.data[this.offset + this.stride * i];
  }

  set(i: number, value: number): void {
    this.data[this.offset + this.stride * i] = value;
  }

  toArray(): Float64Array {
    const out = new Float64Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.data[this.offset + this.stride * i];
    return out;
  }
}
