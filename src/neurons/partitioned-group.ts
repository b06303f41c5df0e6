/**
 * A population whose neurons do not all share one parameter set, as one NeuronGroup: its neurons are partitioned by
 * their parameter values, each part is an ordinary group of the model (model.create with that part's values), and
 * this group forwards each call for neuron i to its part with i's index there. A model thus gets per-neuron
 * parameters without knowing of them, and a population whose neurons all share their values never comes here (it
 * is the model's own group, at the model's own speed: neuron-params.ts).
 *
 * The contract of NeuronGroup (model.ts) holds for each part: the population queues exactly the times a part gives
 * (every time predict() and fire() return, every earlier time input() returns or inputMany() reports), and this
 * group keeps each part's copy of them (`pendingOf`) for the parts' inputMany, as LIF keeps its own. A delivery group
 * is handed on in runs of consecutive synapses onto one part, in their order, so the effect is that of the inputs one
 * by one, and each part computes what it would compute as a population of its own.
 *
 * Cost: one model group per distinct parameter set. For parameters drawn from a continuous distribution that is one
 * per neuron, and a delivery group becomes one call per synapse (docs/models.md states what it costs).
 */
import type { NeuronGroup, Receptor, StateColumn } from './model.js';
import type { StateReader, StateWriter } from '../kernel/state-io.js';

class PartColumn implements StateColumn {
  constructor(
    private readonly g: PartitionedGroup,
    private readonly cols: readonly StateColumn[],
  ) {}

  get length(): number {
    return this.g.size;
  }

  get(i: number): number {
    return this.cols[this.g.part[i]].get(this.g.local[i]);
  }

  set(i: number, value: number): void {
    this.cols[this.g.part[i]].set(this.g.local[i], value);
  }

  toArray(): Float64Array {
    const out = new Float64Array(this.g.size);
    for (let i = 0; i < out.length; i++) out[i] = this.get(i);
    return out;
  }
}

export class PartitionedGroup implements NeuronGroup {
  readonly state: Readonly<Record<string, StateColumn>>;
  /** Neuron i is neuron local[i] of parts[part[i]]; members[g] lists the neurons of part g in that order. */
  readonly part: Int32Array;
  readonly local: Int32Array;
  private readonly members: Int32Array[];
  /** Per part, the time the population has queued for each of its neurons (Infinity: none). */
  private readonly pendingOf: Float64Array[];
  readonly checkGridMs?: number;
  readonly refractoryEnd?: (i: number) => number;
  readonly setRefractoryEnd?: (i: number, t: number) => void;
  // Scratch for inputMany: a run's local targets and weights, and what its part reports (grown on demand).
  private runPost = new Int32Array(64);
  private runW = new Float64Array(64);
  private runChanged = new Int32Array(64);
  private runChangedAt = new Float64Array(64);

  /**
   * `part[i]` names neuron i's part, parts[g] is the model's group for the neurons of part g (as many neurons as i
   * has with part[i] = g, in index order).
   */
  constructor(
    readonly size: number,
    part: Int32Array,
    private readonly parts: readonly NeuronGroup[],
  ) {
    this.part = part;
    this.local = new Int32Array(size);
    const count = new Int32Array(parts.length);
    for (let i = 0; i < size; i++) this.local[i] = count[part[i]]++;
    parts.forEach((p, g) => {
      if (p.size !== count[g]) throw new Error(`PartitionedGroup: part ${g} has ${p.size} neurons, ${count[g]} assigned to it`);
    });
    this.members = Array.from(count, (n) => new Int32Array(n));
    for (let i = 0; i < size; i++) this.members[part[i]][this.local[i]] = i;
    this.pendingOf = Array.from(count, (n) => new Float64Array(n).fill(Infinity));
    const names = Object.keys(parts[0].state);
    this.state = Object.fromEntries(names.map((v) => [v, new PartColumn(this, parts.map((p) => p.state[v]))]));
    // Check times go in the population's grid buckets only if every part rounds to the same grid (DueQueue puts any
    // other time in its heap, so this is a matter of speed only).
    const grid = parts[0].checkGridMs;
    if (parts.every((p) => p.checkGridMs === grid)) this.checkGridMs = grid;
    if (parts.every((p) => p.refractoryEnd && p.setRefractoryEnd)) {
      this.refractoryEnd = (i) => this.parts[part[i]].refractoryEnd!(this.local[i]);
      this.setRefractoryEnd = (i, t) => this.parts[part[i]].setRefractoryEnd!(this.local[i], t);
    }
  }

  /** Each part's state and the times queued for its neurons (checkpoints). */
  saveState(w: StateWriter): void {
    this.parts.forEach((p, g) => {
      if (!p.saveState) throw new Error('PartitionedGroup.saveState: a part cannot save its state');
      const s = w.scope(`part${g}`);
      p.saveState(s);
      s.array('pending', this.pendingOf[g]);
    });
  }

  loadState(r: StateReader): void {
    this.parts.forEach((p, g) => {
      const s = r.scope(`part${g}`);
      p.loadState!(s);
      s.into('pending', this.pendingOf[g]);
    });
  }

  sample(i: number, t: number, out: Float64Array): void {
    this.parts[this.part[i]].sample(this.local[i], t, out);
  }

  advance(i: number, t: number): void {
    this.parts[this.part[i]].advance(this.local[i], t);
  }

  atThreshold(i: number, t: number): boolean {
    return this.parts[this.part[i]].atThreshold(this.local[i], t);
  }

  predict(i: number, t: number): number {
    const g = this.part[i];
    const j = this.local[i];
    return (this.pendingOf[g][j] = this.parts[g].predict(j, t));
  }

  fire(i: number, t: number): number {
    const g = this.part[i];
    const j = this.local[i];
    return (this.pendingOf[g][j] = this.parts[g].fire(j, t));
  }

  input(i: number, t: number, receptor: Receptor, w: number, tPending: number): number {
    const g = this.part[i];
    const j = this.local[i];
    const tNew = this.parts[g].input(j, t, receptor, w, tPending);
    if (tNew < tPending) this.pendingOf[g][j] = tNew;
    return tNew;
  }

  inputMany(
    post: Int32Array,
    w: Float64Array,
    s0: number,
    s1: number,
    t: number,
    receptor: Receptor,
    _pending: Float64Array,
    changed: Int32Array,
    changedAt: Float64Array,
  ): number {
    const { part, local, parts, pendingOf, members } = this;
    const shared = w.length === 1;
    if (s1 - s0 > this.runPost.length) this.grow(2 * (s1 - s0));
    const { runPost, runW, runChanged, runChangedAt } = this;
    let n = 0;
    for (let s = s0; s < s1; ) {
      const g = part[post[s]];
      let m = 0;
      for (; s < s1 && part[post[s]] === g; s++, m++) {
        runPost[m] = local[post[s]];
        if (!shared) runW[m] = w[s];
      }
      const pend = pendingOf[g];
      const k = parts[g].inputMany(runPost, shared ? w : runW, 0, m, t, receptor, pend, runChanged, runChangedAt);
      for (let c = 0; c < k; c++) {
        const j = runChanged[c];
        pend[j] = runChangedAt[c];
        changed[n] = members[g][j];
        changedAt[n] = runChangedAt[c];
        n++;
      }
    }
    return n;
  }

  private grow(n: number): void {
    this.runPost = new Int32Array(n);
    this.runW = new Float64Array(n);
    this.runChanged = new Int32Array(n);
    this.runChangedAt = new Float64Array(n);
  }
}
