/**
 * A projection: the synapses from one emitter (population or source) onto one neuron population, on one receptor.
 *
 * Storage is compressed sparse rows by presynaptic neuron, each row sorted by delay then target, and cut into
 * delay groups (synapses of one presynaptic neuron that share a delay). A presynaptic spike queues one event per
 * group, not per synapse; when it pops, every synapse of the group delivers at that exact time. Per synapse: target
 * index (Int32) and weight (Float64), 12 bytes; delays are stored once per group. When every weight is the same (a
 * scalar `weight_mv` in a scenario), the weight is stored once instead, as NEST's static_synapse_hom_w does: 4 bytes
 * per synapse and one load fewer per delivery. Reading `weight` turns such a projection back into one weight per
 * synapse (the array returned is the one delivered from, so writing to it changes what is delivered); plasticity
 * does so when it attaches.
 *
 * Plasticity, if any, sees each group's arrival before the weights are delivered (so the delivered weight is the
 * updated one, as in NEST's stdp_synapse) and each postsynaptic spike through the target population's listeners.
 * Short-term plasticity, if any, scales what a group delivers by its efficacy at that arrival (synapses/short-term/),
 * leaving the stored weights alone.
 */
import type { Simulation, EventReceiver } from '../kernel/simulation.js';
import { Phase } from '../kernel/event-queue.js';
import type { Population } from '../neurons/population.js';
import type { SpikeEmitter, SpikeListener } from '../neurons/emitter.js';
import type { Receptor } from '../neurons/model.js';
import { CheckpointMismatch, type Checkpointable, type StateReader, type StateWriter } from '../kernel/state-io.js';

/** What a plasticity rule needs from the kernel side: hooks at presynaptic arrivals of a delay group. */
export interface PreArrivalHook {
  onPreArrival(g: number, t: number): void;
}

/**
 * What a short-term plasticity rule needs from the kernel side: at each arrival of delay group g, the factor (the
 * synapses' efficacy then) that scales the weights delivered.
 */
export interface ShortTermHook extends Checkpointable {
  readonly name: string;
  efficacy(g: number, t: number): number;
}

/** Synapses k < count, in any order; weight and delay hold one value per synapse, or one for all (length 1). */
export interface SynapseList {
  pre: Int32Array;
  post: Int32Array;
  weight: Float64Array;
  delay: Float64Array;
  count: number;
}

export class Projection implements EventReceiver, SpikeListener {
  /** Row pointer into groups, per presynaptic neuron (length nPre + 1). */
  readonly groupPtr: Int32Array;
  readonly groupDelay: Float64Array;
  /** First synapse of each group (length nGroups + 1). */
  readonly groupStart: Int32Array;
  /** Presynaptic neuron of each group. */
  readonly groupPre: Int32Array;
  readonly post: Int32Array;
  /** The weights delivered from: one per synapse, or (length 1 with more synapses) a single one shared by all. */
  private w: Float64Array;
  readonly nGroups: number;
  readonly count: number;
  private readonly targetId: number;
  /** Arrivals without delay are handled inside onSpike (the source's SpikeEmitter.actsAtOnce). */
  private readonly atOnce: boolean;
  plasticity: PreArrivalHook | null = null;
  /** Short-term plasticity, if any: scales each delivery (see handleEvent). */
  shortTerm: ShortTermHook | null = null;
  /** The weights scaled by the short-term efficacy, delivered in place of the stored ones (sized on use). */
  private scaled = new Float64Array(0);
  /** Synaptic events delivered (one per synapse per presynaptic spike). */
  delivered = 0;

  constructor(
    private readonly sim: Simulation,
    readonly name: string,
    readonly source: SpikeEmitter,
    readonly target: Population,
    readonly receptor: Receptor,
    syn: SynapseList,
  ) {
    const nPre = source.size;
    const n = syn.count;
    this.count = n;
    const { pre, post, weight, delay } = syn;
    let same = n > 0;
    for (let k = 1; k < n && same && weight.length > 1; k++) same = Object.is(weight[k], weight[0]);
    let oneDelay = true;
    for (let k = 1; k < n && oneDelay && delay.length > 1; k++) oneDelay = delay[k] === delay[0];
    // Counting sort by presynaptic neuron, stable, scattering each synapse's fields straight to its place in the
    // rows: the input is read in order and only the writes land at random (a gather through a permutation instead
    // reads the input at random; it was most of the time to build a large network). Delays are stored per synapse
    // only while sorting, and only if they differ.
    const rowPtr = new Int32Array(nPre + 1);
    for (let k = 0; k < n; k++) rowPtr[pre[k] + 1]++;
    for (let i = 0; i < nPre; i++) rowPtr[i + 1] += rowPtr[i];
    const fill = rowPtr.slice(0, nPre);
    const rPost = new Int32Array(n);
    const rDelay = oneDelay ? null : new Float64Array(n);
    const rW = new Float64Array(same ? 1 : n);
    if (same) rW[0] = weight[0];
    for (let k = 0; k < n; k++) {
      const m = fill[pre[k]]++;
      rPost[m] = post[k];
      if (rDelay !== null) rDelay[m] = delay[k];
      if (!same) rW[m] = weight[k];
    }
    // Then each row by (delay, post, input index). The scatter is stable, so within a row the position already
    // orders by input index. Rows usually come in order (edges made post by post, with one delay): check first, as
    // a comparator sort costs far more than the check, and sort only the rows that need it.
    const dl = (m: number) => (rDelay === null ? 0 : rDelay[m]);
    for (let i = 0; i < nPre; i++) {
      const r0 = rowPtr[i];
      const r1 = rowPtr[i + 1];
      let inOrder = true;
      for (let m = r0 + 1; m < r1 && inOrder; m++) {
        inOrder = dl(m - 1) < dl(m) || (dl(m - 1) === dl(m) && rPost[m - 1] <= rPost[m]);
      }
      if (inOrder) continue;
      const at = Int32Array.from({ length: r1 - r0 }, (_, q) => r0 + q);
      at.sort((x, y) => dl(x) - dl(y) || rPost[x] - rPost[y] || x - y);
      const p = rPost.slice(r0, r1);
      const d = rDelay === null ? null : rDelay.slice(r0, r1);
      const w = same ? null : rW.slice(r0, r1);
      for (let q = 0; q < r1 - r0; q++) {
        rPost[r0 + q] = p[at[q] - r0];
        if (d !== null) rDelay![r0 + q] = d[at[q] - r0];
        if (w !== null) rW[r0 + q] = w[at[q] - r0];
      }
    }
    this.post = rPost;
    this.w = rW;
    // Delay groups: runs of one delay within a row.
    const cut = (m: number, r0: number) => m === r0 || (rDelay !== null && rDelay[m] !== rDelay[m - 1]);
    let nGroups = 0;
    for (let i = 0; i < nPre; i++) for (let m = rowPtr[i]; m < rowPtr[i + 1]; m++) if (cut(m, rowPtr[i])) nGroups++;
    this.nGroups = nGroups;
    this.groupPtr = new Int32Array(nPre + 1);
    this.groupDelay = new Float64Array(nGroups);
    this.groupStart = new Int32Array(nGroups + 1);
    this.groupPre = new Int32Array(nGroups);
    let g = -1;
    for (let i = 0; i < nPre; i++) {
      for (let m = rowPtr[i]; m < rowPtr[i + 1]; m++) {
        if (cut(m, rowPtr[i])) {
          g++;
          this.groupDelay[g] = rDelay === null ? delay[0] : rDelay[m];
          this.groupStart[g] = m;
          this.groupPre[g] = i;
        }
      }
      this.groupPtr[i + 1] = g + 1;
    }
    this.groupStart[nGroups] = n;
    this.targetId = sim.register(this);
    this.atOnce = source.actsAtOnce;
    source.addListener(this);
  }

  /**
   * The weight of every synapse (mV), in storage order. For a projection that stored one shared weight, the first
   * read expands it to one per synapse for good, so that the array can be written to.
   */
  get weight(): Float64Array {
    if (this.sharedWeight) this.w = new Float64Array(this.count).fill(this.w[0]);
    return this.w;
  }

  /** True while the synapses share one stored weight (see the header). */
  get sharedWeight(): boolean {
    return this.w.length !== this.count;
  }

  /**
   * The weights (one shared, or one per synapse, as stored) and the count of deliveries (checkpoints). Plasticity
   * and short-term state are the rules' own.
   */
  saveState(w: StateWriter): void {
    w.array('weight', this.w);
    w.num('delivered', this.delivered);
  }

  loadState(r: StateReader): void {
    const w = r.like('weight', this.w);
    if (w.length !== 1 && w.length !== this.count) throw new CheckpointMismatch(`projection ${this.name} holds ${w.length} weights for ${this.count} synapses`);
    if (w.length === this.w.length) this.w.set(w);
    else this.w = w.slice(); // shared when saved and expanded since (or the reverse): take the saved form
    this.delivered = r.num('delivered');
  }

  /**
   * Presynaptic spike: one queued arrival per delay group; an arrival without delay from an emitter that allows it
   * (SpikeEmitter.actsAtOnce: spike sources) is handled at once instead. That is the order the queue would give: an
   * arrival at the spike's own time t pops before every other event at t (Phase.DELIVER is first, and no other
   * arrival at t can be queued while a spike at t is handled) and, in a row, groups come in delay order.
   */
  onSpike(i: number, t: number): void {
    const { groupPtr, groupDelay, sim, targetId } = this;
    for (let g = groupPtr[i], end = groupPtr[i + 1]; g < end; g++) {
      const d = groupDelay[g];
      if (d === 0 && this.atOnce) {
        sim.countAtOnce();
        this.handleEvent(t, g);
      } else sim.schedule(t + d, Phase.DELIVER, targetId, g, 0);
    }
  }

  /**
   * Arrival of group g at time t: plasticity first (it may change the weights), then delivery to every target of the
   * group, of the weights as stored or, with short-term plasticity, scaled by the efficacy at this arrival.
   */
  handleEvent(t: number, g: number): void {
    if (this.plasticity !== null) this.plasticity.onPreArrival(g, t);
    const s0 = this.groupStart[g];
    const s1 = this.groupStart[g + 1];
    if (this.shortTerm === null) this.target.inputMany(this.post, this.w, s0, s1, t, this.receptor);
    else this.deliverScaled(g, t, s0, s1);
    this.delivered += s1 - s0;
  }

  private deliverScaled(g: number, t: number, s0: number, s1: number): void {
    const f = this.shortTerm!.efficacy(g, t);
    const w = this.w;
    if (this.scaled.length !== w.length) this.scaled = new Float64Array(w.length);
    const out = this.scaled;
    // A shared weight (length 1) stays shared: one scaled value for every synapse of the group.
    if (w.length === 1) out[0] = w[0] * f;
    else for (let s = s0; s < s1; s++) out[s] = w[s] * f;
    this.target.inputMany(this.post, out, s0, s1, t, this.receptor);
  }

  /** Presynaptic neuron of every synapse (derived; for output and analysis, not the hot path). */
  synapsePre(): Int32Array {
    const pre = new Int32Array(this.count);
    for (let g = 0; g < this.nGroups; g++) pre.fill(this.groupPre[g], this.groupStart[g], this.groupStart[g + 1]);
    return pre;
  }
}
