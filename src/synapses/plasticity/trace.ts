/**
 * Exponential traces decayed lazily, only when read or bumped at an event:
 *
 *     x(t) = x(t_last) exp(-(t - t_last) / tau)
 *
 * A spike adds 1 (all-to-all pairing) or resets the trace to 1 (nearest-spike pairing), as in Morrison, Diesmann &
 * Gerstner 2008.
 *
 * Storage: every trace is kept scaled to a shared epoch, s_k = x_k(t) e^{(t - epoch)/tau}, which is constant
 * between spikes. Reading n traces at one time t then costs one exponential, f = e^{-(t - epoch)/tau}, and a multiply
 * each (x_k(t) = s_k f), instead of one exponential per trace. When t moves more than EPOCH_SPAN_TAU (16) tau past
 * the epoch, every s_k is rescaled to a new epoch t (one pass over the set): the exponentials' arguments stay within
 * +-16, so s_k never overflows and the result differs from the direct formula by a few ulp only.
 */
import { EPOCH_SPAN_TAU, TIME_ZERO_MS } from '../../kernel/units.js';
import type { StateReader, StateWriter } from '../../kernel/state-io.js';

export class Traces {
  /** s_k = x_k e^{(t - epoch)/tau}; read traces with at() or gather(). */
  readonly scaled: Float64Array;
  private epoch = TIME_ZERO_MS;
  private readonly invTau: number;
  /** Infinity after holdEpoch (reads and bumps never move the epoch), with the span kept in heldSpan. */
  private span: number;
  private heldSpan = NaN;

  constructor(n: number, tauMs: number, private readonly nearest: boolean) {
    this.scaled = new Float64Array(n);
    this.invTau = 1 / tauMs;
    this.span = EPOCH_SPAN_TAU * tauMs;
  }

  /**
   * From now on the epoch moves only when moveEpoch says (a threaded run, at its window ends: scenario/windowed.ts),
   * not at whichever read or bump comes first past the span, so that the traces' bits do not depend on which events
   * a partition sees.
   */
  holdEpoch(): void {
    if (this.span === Infinity) return;
    this.heldSpan = this.span;
    this.span = Infinity;
  }

  /** After holdEpoch: moves the epoch to t if t is more than the span past it, as a read at t would have. */
  moveEpoch(t: number): void {
    if (t - this.epoch > this.heldSpan) this.rebase(t);
  }

  /** e^{-(t - epoch)/tau} for t >= the last event time, moving the epoch to t first if t is too far past it. */
  private factor(t: number): number {
    if (t - this.epoch > this.span) {
      this.rebase(t);
      return 1;
    }
    return Math.exp((this.epoch - t) * this.invTau);
  }

  /** Every s_k rescaled to the epoch t. */
  private rebase(t: number): void {
    const f = Math.exp((this.epoch - t) * this.invTau);
    const s = this.scaled;
    for (let k = 0; k < s.length; k++) s[k] *= f;
    this.epoch = t;
  }

  /** Trace k at time t >= its last update. */
  at(k: number, t: number): number {
    const f = this.factor(t); // first: it may rescale the stored values
    return this.scaled[k] * f;
  }

  /** out[k - from] = at(idx[k], t) for k in [from, to): one exponential for the lot. */
  gather(idx: Int32Array, from: number, to: number, t: number, out: Float64Array): void {
    const f = this.factor(t);
    const s = this.scaled;
    for (let k = from; k < to; k++) out[k - from] = s[idx[k]] * f;
  }

  /**
   * out[k - from] *= at(idx[k], t) * c for k in [from, to), as out * ((s f) * c), the products in that order: one
   * exponential for the lot (a third factor read at a plasticity update: learning/spiking/apical.ts).
   */
  scaleInto(idx: Int32Array, from: number, to: number, t: number, c: number, out: Float64Array): void {
    const f = this.factor(t);
    const s = this.scaled;
    for (let k = from; k < to; k++) out[k - from] *= s[idx[k]] * f * c;
  }

  /** The scaled traces and their epoch (checkpoints). */
  saveState(w: StateWriter): void {
    w.array('scaled', this.scaled);
    w.num('epoch', this.epoch);
  }

  loadState(r: StateReader): void {
    r.into('scaled', this.scaled);
    this.epoch = r.num('epoch');
  }

  /** Sets every trace to 0 (e.g. between independent trials). */
  clear(): void {
    this.scaled.fill(0);
  }

  /** Adds `amount` to trace k at time t (a weighted spike: a passive compartment driven through weighted synapses). */
  add(k: number, t: number, amount: number): void {
    this.scaled[k] += amount / this.factor(t);
  }

  /** Sets trace k to `value` at time t. */
  set(k: number, t: number, value: number): void {
    this.scaled[k] = value / this.factor(t);
  }

  /** Registers a spike on trace k at time t. */
  bump(k: number, t: number): void {
    const g = 1 / this.factor(t); // e^{(t - epoch)/tau}, a unit trace at t, scaled (first: it may rescale)
    this.scaled[k] = this.nearest ? g : this.scaled[k] + g;
  }
}
