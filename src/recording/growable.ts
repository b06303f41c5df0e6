/** Typed arrays that grow by doubling: amortized O(1) appends with no allocation per append. */
export class GrowableF64 {
  data = new Float64Array(256);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const d = new Float64Array(this.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
  /** Replaces the contents (a checkpoint's), keeping room to grow. */
  load(a: Float64Array): void {
    this.data = new Float64Array(Math.max(256, a.length));
    this.data.set(a);
    this.length = a.length;
  }
}

export class GrowableI32 {
  data = new Int32Array(256);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
  }
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
  /** Replaces the contents (a checkpoint's), keeping room to grow. */
  load(a: Int32Array): void {
    this.data = new Int32Array(Math.max(256, a.length));
    this.data.set(a);
    this.length = a.length;
  }
}
