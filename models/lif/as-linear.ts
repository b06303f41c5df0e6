/**
 * A linear model in lif's form (src/neurons/linear/lif-form.ts) run by lif's own group: the population sees the
 * system's state variables and receptors, lif's group integrates. Each call is passed through, with the receptor
 * mapped to lif's slot and the weight scaled to lif's current (i_s = tau_m a_s x_s); state columns and samples are
 * mapped back. Nothing is allocated per event. A delivery group whose weights need scaling (a current that does not
 * enter v as x_s / tau_m) goes through lif's input() one synapse at a time; the usual form, `(... + i_s) / tau_m`,
 * has scale 1 and keeps lif's batched inputMany.
 */
import type { NeuronGroup, StateColumn } from '../../src/neurons/model.js';
import type { LifForm } from '../../src/neurons/linear/lif-form.js';
import type { StateReader, StateWriter } from '../../src/kernel/state-io.js';
import { LifGroup } from './group.js';

/** A lif state column seen in the system's units (lif's value divided by the variable's scale). */
class ScaledColumn implements StateColumn {
  constructor(private readonly lif: StateColumn, private readonly scale: number) {}

  get length(): number {
    return this.lif.length;
  }

  get(i: number): number {
    return this.lif.get(i) / this.scale;
  }

  set(i: number, value: number): void {
    this.lif.set(i, value * this.scale);
  }

  toArray(): Float64Array {
    return this.lif.toArray().map((x) => x / this.scale);
  }
}

export class LifAsLinearGroup implements NeuronGroup {
  readonly state: Readonly<Record<string, StateColumn>>;
  readonly checkGridMs: number;
  private readonly lif: LifGroup;
  private readonly column: Int32Array;
  private readonly scale: Float64Array;
  private readonly slot: Int32Array;
  private readonly weightScale: Float64Array;
  /** lif's sample (v, i_exc, i_inh). */
  private readonly tmp = new Float64Array(3);

  constructor(readonly size: number, vars: readonly string[], form: LifForm) {
    const lif = (this.lif = new LifGroup(size, form.params));
    this.checkGridMs = lif.checkGridMs;
    this.column = form.column;
    this.scale = form.scale;
    this.slot = form.slot;
    this.weightScale = form.weightScale;
    const lifColumns = [lif.state.v_mv, lif.state.i_exc_mv, lif.state.i_inh_mv];
    for (let c = 0; c < 3; c++) for (let i = 0; i < size; i++) lifColumns[c].set(i, form.initial[c]);
    this.state = Object.fromEntries(
      vars.map((v, k) => [v, form.scale[k] === 1 ? lifColumns[form.column[k]] : new ScaledColumn(lifColumns[form.column[k]], form.scale[k])]),
    );
  }

  holdEpoch(): void {
    this.lif.holdEpoch();
  }

  moveEpoch(t: number): void {
    this.lif.moveEpoch(t);
  }

  sample(i: number, t: number, out: Float64Array): void {
    const { tmp, column, scale } = this;
    this.lif.sample(i, t, tmp);
    for (let k = 0; k < column.length; k++) out[k] = tmp[column[k]] / scale[k];
  }

  advance(i: number, t: number): void {
    this.lif.advance(i, t);
  }

  input(i: number, t: number, receptor: number, w: number, tPending: number): number {
    return this.lif.input(i, t, this.slot[receptor], w * this.weightScale[receptor], tPending);
  }

  inputMany(
    post: Int32Array, w: Float64Array, s0: number, s1: number, t: number, receptor: number,
    pending: Float64Array, changed: Int32Array, changedAt: Float64Array,
  ): number {
    const scale = this.weightScale[receptor];
    const slot = this.slot[receptor];
    if (scale === 1) return this.lif.inputMany(post, w, s0, s1, t, slot, pending, changed, changedAt);
    let n = 0;
    const shared = w.length === 1;
    for (let s = s0; s < s1; s++) {
      const i = post[s];
      // As inputMany's contract: the pending time is the one this call last reported for i, else the queued one.
      const tp = n > 0 && changed[n - 1] === i ? changedAt[n - 1] : pending[i];
      const tNew = this.lif.input(i, t, slot, (shared ? w[0] : w[s]) * scale, tp);
      if (tNew < tp) {
        changed[n] = i;
        changedAt[n] = tNew;
        n++;
      }
    }
    return n;
  }

  atThreshold(i: number, t: number): boolean {
    return this.lif.atThreshold(i, t);
  }

  predict(i: number, t: number): number {
    return this.lif.predict(i, t);
  }

  fire(i: number, t: number): number {
    return this.lif.fire(i, t);
  }

  refractoryEnd(i: number): number {
    return this.lif.refractoryEnd(i);
  }

  setRefractoryEnd(i: number, t: number): void {
    this.lif.setRefractoryEnd(i, t);
  }

  saveState(w: StateWriter): void {
    this.lif.saveState(w);
  }

  loadState(r: StateReader): void {
    this.lif.loadState(r);
  }
}
