/**
 * The apical dendrite of each hidden neuron: a passive compartment that the top-down feedback drives and that only
 * the hidden layer's plasticity reads (segregated dendrites, Guerguiev, Lillicrap & Richards 2017, in the limit of
 * no apical-to-soma coupling; Urbanczik & Senn 2014 and Sacramento et al. 2018 use the same separation).
 *
 * Each output spike of neuron k at time t_k jumps the apical potential of every hidden neuron j by the feedback
 * weight B_kj (mV), which then decays with tau_a:
 *
 *     du_j/dt = -u_j / tau_a,   u_j -> u_j + B_kj at each spike of output k      (mV, ms)
 *     u_j(t)  = sum_k B_kj sum_{t_k <= t} exp(-(t - t_k) / tau_a)                   (closed form, exact)
 *
 * The soma never sees u: the feedback projection (`out_hid`) is unhooked from delivering to the hidden somas, so
 * the hidden spikes do not depend on the feedback at all. The hidden layer's STDP rule reads u at each update as a
 * third factor, m_j(t) = u_j(t) / scale_mv (stdp.ts `modulation`):
 *
 *     dw_ij = g m_j(t) W(s)      at the later spike of each pre/post pair
 *
 * With paired phases (the same input spikes and starting state, spiking-fa.ts) the hidden spikes are the same in
 * the free and the nudged phase, so with the contrastive gains (-1 free, +1 nudged, equal lengths) the pair sums
 * cancel except for the apical factor:
 *
 *     E[dw_ij] = T (a+ tau+ + a- tau-) r_i r_j (u_j^nudged - u_j^free) / scale_mv
 *              = T tau_a (a+ tau+ + a- tau-) / scale_mv * r_i r_j sum_k B_kj (r_k^nudged - r_k^free)
 *
 * presynaptic rate times postsynaptic rate times the output rate changes carried by the fixed random feedback:
 * the hidden update of feedback alignment (Lillicrap et al. 2016), with the post rate r_j in place of the slope
 * f'(drive) (for a rectifying unit, both vanish where the neuron is silent). The output layer's rule is unchanged
 * (pre rate times post rate change); since the hidden spikes no longer follow the feedback, it is a plain delta rule
 * on the hidden spikes, and a frozen hidden layer or no feedback leave the network's spikes exactly the same.
 *
 * Storage: u is kept as epoch-scaled traces (trace.ts), so reading all H potentials at one time costs one
 * exponential. The feedback must have zero delays (checked): its spikes reach the dendrite when they are emitted.
 *
 * | name      | unit | meaning                                                    |
 * |-----------|------|------------------------------------------------------------|
 * | tau_ms    | ms   | apical time constant tau_a                                 |
 * | scale_mv  | mV   | apical potential at which the update equals the plain rule's |
 */
import type { Projection } from '../../synapses/projection.js';
import type { SpikeListener } from '../../neurons/emitter.js';
import type { PostModulation } from '../../synapses/plasticity/stdp.js';
import type { StateReader, StateWriter } from '../../kernel/state-io.js';
import { Traces } from '../../synapses/plasticity/trace.js';
import { ScenarioError } from '../../scenario/errors.js';

export class ApicalDendrites implements SpikeListener, PostModulation {
  readonly u: Traces;
  private readonly invScale: number;
  /** Saved potentials (snapshot) and the time they were saved at. */
  private readonly saved: Float64Array;
  private savedAt = NaN;

  /** Takes the feedback projection's spikes off the target's somas and onto their apical dendrites. */
  constructor(readonly feedback: Projection, tauMs: number, scaleMv: number) {
    for (let g = 0; g < feedback.nGroups; g++) {
      if (feedback.groupDelay[g] !== 0) throw new ScenarioError([`projections.${feedback.name}.delay_ms must be 0 with settings.feedback_target "apical" (the apical dendrite takes the feedback at its spikes), got ${feedback.groupDelay[g]}`]);
    }
    const n = feedback.target.size;
    this.u = new Traces(n, tauMs, false);
    this.saved = new Float64Array(n);
    this.invScale = 1 / scaleMv;
    const ls = feedback.source.listeners;
    const at = ls.indexOf(feedback);
    if (at < 0) throw new Error(`apical: projection ${feedback.name} is not listening to ${feedback.source.name}`);
    ls[at] = this; // in the projection's place: the same order among the source's listeners
  }

  /** Spike of feedback source k (an output neuron) at t: u_j += B_kj for each of its synapses. */
  onSpike(k: number, t: number): void {
    const p = this.feedback;
    const w = p.weight;
    const { post, groupStart, groupPtr } = p;
    for (let g = groupPtr[k]; g < groupPtr[k + 1]; g++) {
      for (let s = groupStart[g]; s < groupStart[g + 1]; s++) this.u.add(post[s], t, w[s]);
    }
  }

  /** m_j(t) = u_j(t) / scale_mv. */
  at(j: number, t: number): number {
    return this.u.at(j, t) * this.invScale;
  }

  /** out[k - from] *= m_{idx[k]}(t), one exponential for the lot (Traces.scaleInto). */
  scaleInto(idx: Int32Array, from: number, to: number, t: number, out: Float64Array): void {
    this.u.scaleInto(idx, from, to, t, this.invScale, out);
  }

  /** u_j(t) in mV. */
  potential(j: number, t: number): number {
    return this.u.at(j, t);
  }

  /** Keeps u(t) to be restored later (paired trials: snapshot.ts does the same for the somas). */
  save(t: number): void {
    for (let j = 0; j < this.saved.length; j++) this.saved[j] = this.u.at(j, t);
    this.savedAt = t;
  }

  /** u(t) becomes the saved values. */
  restore(t: number): void {
    if (!(t >= this.savedAt)) throw new Error(`apical: restored at ${t} ms, before it was saved (${this.savedAt} ms)`);
    for (let j = 0; j < this.saved.length; j++) this.u.set(j, t, this.saved[j]);
  }

  clear(): void {
    this.u.clear();
  }

  saveState(w: StateWriter): void {
    this.u.saveState(w);
  }

  loadState(r: StateReader): void {
    this.u.loadState(r);
  }
}
