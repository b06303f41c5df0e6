/**
 * Exponential traces decayed lazily, only when read or bumped at an event:
 *
 *     x(t) = x(t_last) exp(-(t - t_last) / tau)
 *
 * A spike adds 1 (all-to-all pairing) or resets the trace to 1 (nearest-spike pairing), as in Morrison, Diesmann &
 * Gerstner 2008. Values and update times live in two Float64Arrays, one slot per trace.
 */
export class Traces {
  readonly value: Float64Array;
  readonly tLast: Float64Array;
  private readonly invTau: number;

  constructor(n: number, tauMs: number, private readonly nearest: boolean) {
    this.value = new Float64Array(n);
    this.tLast = new Float64Array(n);
    this.invTau = 1 / tauMs;
  }

  /** Trace k at time t >= its last update (no state change). */
  at(k: number, t: number): number {
    const x = this.value[k];
    return x === 0 ? 0 : x * Math.exp((this.tLast[k] - t) * this.invTau);
  }

  /**
   * out[k - from] = at(idx[k], t) for k in [from, to), into out (tmp is scratch of the same length). The loads come
   * first, in a loop of independent reads, so that when the traces do not fit in cache their misses overlap; the
   * decay follows. Same values as at().
   */
  gather(idx: Int32Array, from: number, to: number, t: number, out: Float64Array, tmp: Float64Array): void {
    const { value, tLast, invTau } = this;
    for (let k = from; k < to; k++) {
      const m = idx[k];
      out[k - from] = value[m];
      tmp[k - from] = tLast[m];
    }
    for (let k = 0, n = to - from; k < n; k++) {
      const x = out[k];
      out[k] = x === 0 ? 0 : x * Math.exp((tmp[k] - t) * invTau);
    }
  }

  /** Sets every trace to 0 (e.g. between independent trials); callers should use this, not the arrays. */
  clear(): void {
    this.value.fill(0);
    this.tLast.fill(0);
  }

  /** Registers a spike on trace k at time t. */
  bump(k: number, t: number): void {
    this.value[k] = this.nearest ? 1 : this.at(k, t) + 1;
    this.tLast[k] = t;
  }
}
