/**
 * The spiking feedback-alignment learner: a network built from a scenario, driven example by example.
 *
 * Populations (fixed names): `in` (Poisson sources, one per pixel), `hid` and `out` (LIF), `teach_exc` and
 * `teach_inh` (Poisson sources, one per output). Projections: `in_hid` and `hid_out` (forward, plastic: STDP),
 * `out_hid` (the fixed random feedback B), `teach_exc_out` and `teach_inh_out` (one_to_one teaching input).
 *
 * One example, starting at time t:
 * 1. reset (`between: "rest"`, the default): `hid` and `out` to rest (resetPopulation), every STDP trace to 0, so
 *    no spike pair straddles two examples (as if a long silent gap separated them). With `between: "none"` the
 *    network keeps running from the previous example and the warm-up alone separates them;
 * 2. warm-up [t, t + t_warmup): `in` fires at pixel * input_rate_hz; plasticity off (gain 0), spikes not counted,
 *    so the onset transient from rest enters neither the readout nor the weights;
 * 3. free phase (t_free): inputs unchanged; outputs express the prediction;
 * 4. nudged phase (t_nudge): inputs unchanged; the teacher pushes the outputs toward the
 *    target rates (target_hi_hz for the label, target_lo_hz for the others). In `error` mode the teacher compares
 *    each output's free-phase rate r_k with its target and fires `teach_exc` at gain * max(0, target_k - r_k) and
 *    `teach_inh` at gain * max(0, r_k - target_k); in `fixed` mode `teach_exc` fires at teacher_rate_hz onto the
 *    label's output and `teach_inh` at teacher_rate_hz onto the others.
 * The output rates change; through `out_hid` the hidden rates change. The plasticity of every projection that has
 * one in the scenario is phase-gated STDP (gated-stdp.ts) with a gain set per phase by `gating`:
 *   "always":      gain 1 in free and nudged phases: plain STDP; a balanced antisymmetric window is meant to turn
 *                  pre rate x post rate change into weight changes (the set-up that stayed at chance);
 *   "contrastive": gain -t_nudge/t_free in the free phase, +1 in the nudged phase: with a symmetric (Hebbian)
 *                  window, E[dw] ~ r_pre (r_post^nudge - r_post^free), the pre rate times the rate change.
 * Nothing here computes a gradient or a weight update: weights change only inside the rule, at spikes.
 * Prediction: the output with most free-phase spikes (ties: earliest first spike). With `units_per_class` K > 1 the
 * outputs come in classes of K consecutive units (unit u belongs to class floor(u / K)): each unit has its own
 * forward weights, feedback and teacher (toward its class's target, from its own free-phase rate), and the
 * prediction is the class with most free-phase spikes in all, a population readout.
 */
import { Network } from '../../scenario/network.js';
import type { Scenario } from '../../scenario/schema.js';
import type { Population } from '../../neurons/population.js';
import type { PoissonSource } from '../../neurons/sources.js';
import type { Projection } from '../../synapses/projection.js';
import { GatedStdp } from './gated-stdp.js';
import { resetPopulation } from '../../neurons/reset.js';
import { PopulationSnapshot } from '../../neurons/snapshot.js';
import { ScenarioError } from '../../scenario/errors.js';
import { PhaseCounter } from './phase-counter.js';
import { ApicalDendrites } from './apical.js';
import { createRng, type Rng } from '../../kernel/rng.js';

export interface SpikingFaProtocol {
  input_rate_hz: number;
  t_free_ms: number;
  t_nudge_ms: number;
  teacher_mode: 'error' | 'fixed';
  target_hi_hz: number;
  target_lo_hz: number;
  /** error mode: teacher rate per Hz of output error. */
  teacher_gain: number;
  /** fixed mode: teacher rate. */
  teacher_rate_hz: number;
  /** Plasticity gain per phase (see above); default "always". */
  gating?: 'always' | 'contrastive';
  /** Warm-up before the free phase (ms); default 0. */
  t_warmup_ms?: number;
  /** Between examples: "rest" (default) resets hid and out to rest and clears the traces; "none" leaves the
   * network running, so the warm-up carries it from one image's activity to the next. */
  between?: 'rest' | 'none';
  /** Output units per class (default 1): `out`, `teach_exc` and `teach_inh` have classes x K neurons. */
  units_per_class?: number;
  /** Ablation: "frozen" keeps in_hid fixed (its rule's gain held at 0); default "on". */
  hidden_learning?: 'on' | 'frozen';
  /** Ablation of the feedback path (default "random"): "random" the fixed random out_hid as built; "none" out_hid
   * weights 0 (no top-down signal at all); "shuffled" out_hid's columns (one per hidden neuron) permuted anew for
   * every training example, so the hidden rate changes have the right size but the wrong credit (the original B
   * is restored after each example, so tests see it); "reversed" in_hid's plasticity gain negated. */
  feedback?: 'random' | 'none' | 'shuffled' | 'reversed';
  /** Centre the feedback per hidden neuron: subtract from out_hid's weights onto each hidden neuron their mean over
   * the outputs, so that the feedback carries differences between output rates, not their common change (default
   * false). */
  centre_feedback?: boolean;
  /** Centre the feedback per output neuron: subtract from out_hid's weights out of each output their mean over the
   * hidden neurons, so that no error signal is common to all hidden neurons. Shuffled feedback (hidden columns
   * permuted anew per example) then carries no credit on average: its mean over permutations is that common part
   * (default false). */
  centre_feedback_hidden?: boolean;
  /** When weight updates take effect (gated-stdp.ts): "spike" at once (default), "example" computed at spikes into
   * a tag and consolidated at the end of each training example, so both phases run on the same weights. */
  consolidation?: 'spike' | 'example';
  /** Seed of the shuffled feedback's permutations (stream `feedback/shuffle`). */
  shuffle_seed?: number;
  /** The input spikes of the nudged phase (default "fresh"): "fresh" new Poisson draws; "replay" the free phase's
   * input spike train again, shifted by t_free (common random numbers). Since a LIF neuron driven by the same input
   * spike train settles onto the same spike times whatever its initial state (Mainen & Sejnowski 1995), the hidden
   * rate changes between the phases are then those that the feedback causes, not the Poisson noise of two different
   * input draws. The stream is `input/replay` of `replay_seed`. */
  nudge_input?: 'fresh' | 'replay';
  replay_seed?: number;
  /** Where the nudged phase starts (default "continue"): "continue" from the state the free phase ended in;
   * "free_start" from the state the free phase started in (hid and out restored, snapshot.ts), so that the two
   * phases are paired trials. With "replay" as well, the nudged phase differs from the free one only by the teacher
   * and what it causes: with no feedback the hidden spikes of both phases are the same. */
  nudge_from?: 'continue' | 'free_start';
  /** Where the feedback arrives (default "soma"): "soma" out_hid delivers to the hidden somas like any projection;
   * "apical" onto a separate apical dendrite per hidden neuron that the somas never see and the hidden layer's STDP
   * reads as a third factor (apical.ts). */
  feedback_target?: 'soma' | 'apical';
  /** Apical time constant (ms) and the potential (mV) at which the update equals the plain rule's (apical.ts). */
  apical_tau_ms?: number;
  apical_scale_mv?: number;
}

/** The same scenario with every projection's plasticity removed. */
export function withoutPlasticity(sc: Scenario): Scenario {
  return { ...sc, projections: sc.projections.map(({ plasticity: _, ...p }) => p) };
}

export const POPULATIONS = ['in', 'hid', 'out', 'teach_exc', 'teach_inh'] as const;
export const PROJECTIONS = ['in_hid', 'hid_out', 'out_hid', 'teach_exc_out', 'teach_inh_out'] as const;

export interface Presentation {
  prediction: number;
  /** Free-phase spike counts. */
  outFree: Int32Array;
  hidFree: Int32Array;
  /** Nudged-phase spike counts (zeros when not learning). */
  outNudge: Int32Array;
  hidNudge: Int32Array;
}

export class SpikingFa {
  readonly net: Network;
  readonly input: PoissonSource;
  readonly hid: Population;
  readonly out: Population;
  readonly teachExc: PoissonSource;
  readonly teachInh: PoissonSource;
  readonly inHid: Projection;
  readonly hidOut: Projection;
  readonly outHid: Projection;
  readonly rules: GatedStdp[];
  private readonly hidCount: PhaseCounter;
  private readonly outCount: PhaseCounter;
  private readonly rates: Float64Array;
  private readonly teachE: Float64Array;
  private readonly teachI: Float64Array;
  /** Simulated time so far (ms). */
  t = 0;
  /** Multiplies both phase gains: a learning-rate schedule, set from outside between examples (default 1). */
  plasticityScale = 1;
  examples = 0;
  /** Output units per class. */
  readonly perClass: number;
  /** in_hid's gain factor: 1 learning, 0 frozen, -1 reversed (a learner may change it between examples to apply
   * an ablation late in training). */
  hiddenFactor: number;
  /** The fixed feedback between examples (shuffled feedback permutes from it and restores it). */
  private readonly feedback0: Float64Array;
  private readonly feedbackPre: Int32Array;
  private readonly perm: Int32Array;
  /** Synapse index of the feedback link (out j -> hid h) at j * H + h, -1 where there is none. */
  private readonly feedbackAt: Int32Array;
  private readonly shuffleRng: Rng | null;
  /** nudge_input "replay": the input's stream, recreated from its state at the free phase's start for the nudge. */
  private replayRng: Rng | null;
  private readonly replaySeed: number;
  /** nudge_from "free_start": the hid and out states at the free phase's start. */
  private readonly snapshots: PopulationSnapshot[];
  /** feedback_target "apical": the hidden neurons' apical dendrites, else null. */
  readonly apical: ApicalDendrites | null;

  constructor(sc: Scenario, readonly protocol: SpikingFaProtocol) {
    for (const name of POPULATIONS) if (!sc.populations.some((p) => p.name === name)) throw new ScenarioError([`populations must include "${name}" for the fa-digits experiment, got ${sc.populations.map((p) => p.name).join(', ')}`]);
    for (const name of PROJECTIONS) if (!sc.projections.some((p) => p.name === name)) throw new ScenarioError([`projections must include "${name}" for the fa-digits experiment, got ${sc.projections.map((p) => p.name).join(', ')}`]);
    // Spikes are counted per phase here; recording every spike of a long training run would only fill memory.
    // The network is built without plasticity; the scenario's rules are attached here as phase-gated STDP.
    this.net = new Network({ ...withoutPlasticity(sc), record: { spikes: [], state: [], weights: [] } });
    const net = this.net;
    this.input = net.emitters.get('in') as PoissonSource;
    this.hid = net.populations.get('hid')!;
    this.out = net.populations.get('out')!;
    this.teachExc = net.emitters.get('teach_exc') as PoissonSource;
    this.teachInh = net.emitters.get('teach_inh') as PoissonSource;
    this.inHid = net.projections.get('in_hid')!;
    this.hidOut = net.projections.get('hid_out')!;
    this.outHid = net.projections.get('out_hid')!;
    this.rules = sc.projections.filter((pr) => pr.plasticity).map((pr) => {
      // Initial weights start inside the bounds, as Network does for every plastic projection.
      const proj = net.projections.get(pr.name)!;
      const { w_min_mv: lo, w_max_mv: hi } = pr.plasticity!;
      for (let k = 0; k < proj.count; k++) proj.weight[k] = Math.min(hi, Math.max(lo, proj.weight[k]));
      return new GatedStdp(proj, pr.plasticity!, (protocol.consolidation ?? 'spike') === 'example').attach();
    });
    this.hidCount = new PhaseCounter(this.hid);
    this.outCount = new PhaseCounter(this.out);
    this.rates = new Float64Array(this.input.size);
    this.teachE = new Float64Array(this.out.size);
    this.teachI = new Float64Array(this.out.size);
    this.perClass = protocol.units_per_class ?? 1;
    for (const pop of [this.out, this.teachExc, this.teachInh]) {
      if (pop.size % this.perClass !== 0 || pop.size !== this.out.size) throw new ScenarioError([`populations.${pop.name}.size must be the number of classes x units_per_class (${this.perClass}) and equal for out, teach_exc and teach_inh, got ${pop.size}`]);
    }
    const fb = protocol.feedback ?? 'random';
    this.hiddenFactor = (protocol.hidden_learning ?? 'on') === 'frozen' ? 0 : fb === 'reversed' ? -1 : 1;
    if (fb === 'none') this.outHid.weight.fill(0);
    if (protocol.centre_feedback) centreColumns(this.outHid);
    if (protocol.centre_feedback_hidden) centreRows(this.outHid);
    this.feedback0 = this.outHid.weight.slice();
    this.feedbackPre = this.outHid.synapsePre();
    this.perm = Int32Array.from({ length: this.hid.size }, (_, i) => i);
    this.feedbackAt = new Int32Array(this.out.size * this.hid.size).fill(-1);
    for (let k = 0; k < this.outHid.count; k++) this.feedbackAt[this.feedbackPre[k] * this.hid.size + this.outHid.post[k]] = k;
    this.shuffleRng = fb === 'shuffled' ? createRng(protocol.shuffle_seed ?? sc.seed, 'feedback/shuffle') : null;
    this.replaySeed = protocol.replay_seed ?? sc.seed;
    this.replayRng = protocol.nudge_input === 'replay' ? createRng(this.replaySeed, 'input/replay') : null;
    if (this.replayRng) this.input.useStream(this.replayRng);
    this.snapshots = protocol.nudge_from === 'free_start' ? [new PopulationSnapshot(this.hid), new PopulationSnapshot(this.out)] : [];
    this.apical = (protocol.feedback_target ?? 'soma') === 'apical' ? new ApicalDendrites(this.outHid, protocol.apical_tau_ms ?? 20, protocol.apical_scale_mv ?? 4) : null;
    for (const r of this.rules) if (r.projection === this.inHid) r.modulation = this.apical;
    net.start();
  }

  /** Presents one example (pixels in [0, 1]); with `learn`, runs the nudged phase toward `label`; without it the
   * weights do not change (plasticity gain 0 throughout). */
  present(x: ArrayLike<number>, label: number, learn: boolean): Presentation {
    const p = this.protocol;
    const t0 = this.t;
    if ((p.between ?? 'rest') === 'rest') this.reset(t0);
    if (learn && this.shuffleRng) {
      this.feedback0.set(this.outHid.weight); // the feedback as it stands (it may have been written from outside)
      this.shuffleFeedback(this.shuffleRng);
    }
    if (learn) for (const r of this.rules) r.retag();
    for (let i = 0; i < this.rates.length; i++) this.rates[i] = x[i] * p.input_rate_hz;
    this.input.setRates(this.rates, t0);
    const contrastive = p.gating === 'contrastive';
    const tw = t0 + (p.t_warmup_ms ?? 0);
    if (tw > t0) {
      this.setGain(0);
      this.net.run(tw);
    }
    this.setGain(!learn ? 0 : contrastive ? -p.t_nudge_ms / p.t_free_ms : 1);
    if (contrastive) this.clearTraces();
    // Replay: the free phase's input spikes are drawn afresh from tw, from a stream state kept for the nudge.
    const replayFrom = learn && this.replayRng ? this.replayRng.state() : null;
    if (replayFrom) this.input.setRates(this.rates, tw);
    if (learn) for (const snap of this.snapshots) snap.save(tw);
    if (learn && this.snapshots.length > 0) this.apical?.save(tw);
    this.hidCount.clear();
    this.outCount.clear();
    const t1 = tw + p.t_free_ms;
    this.net.run(t1);
    const prediction = this.outCount.groupWinner(this.perClass);
    const outFree = this.outCount.counts.slice();
    const hidFree = this.hidCount.counts.slice();
    let outNudge = new Int32Array(outFree.length);
    let hidNudge = new Int32Array(hidFree.length);
    let tEnd = t1;
    if (learn) {
      this.setTeacher(label, outFree, t1);
      if (replayFrom) {
        this.replayRng = createRng(this.replaySeed, 'input/replay', replayFrom);
        this.input.useStream(this.replayRng);
        this.input.setRates(this.rates, t1);
      }
      for (const snap of this.snapshots) snap.restore(t1);
      if (this.snapshots.length > 0) this.apical?.restore(t1);
      this.setGain(1);
      if (contrastive) this.clearTraces();
      this.hidCount.clear();
      this.outCount.clear();
      tEnd = t1 + p.t_nudge_ms;
      this.net.run(tEnd);
      outNudge = this.outCount.counts.slice();
      hidNudge = this.hidCount.counts.slice();
      this.teachE.fill(0);
      this.teachI.fill(0);
      this.teachExc.setRates(this.teachE, tEnd);
      this.teachInh.setRates(this.teachI, tEnd);
    }
    this.rates.fill(0);
    this.input.setRates(this.rates, tEnd);
    if (learn && this.shuffleRng) this.outHid.weight.set(this.feedback0);
    if (learn) for (const r of this.rules) r.consolidate();
    this.t = tEnd;
    this.examples++;
    return { prediction, outFree, hidFree, outNudge, hidNudge };
  }

  private setTeacher(label: number, outFree: Int32Array, t: number): void {
    const p = this.protocol;
    for (let k = 0; k < outFree.length; k++) {
      const mine = Math.floor(k / this.perClass) === label;
      const target = mine ? p.target_hi_hz : p.target_lo_hz;
      if (p.teacher_mode === 'fixed') {
        this.teachE[k] = mine ? p.teacher_rate_hz : 0;
        this.teachI[k] = mine ? 0 : p.teacher_rate_hz;
      } else {
        const e = target - (1000 * outFree[k]) / p.t_free_ms;
        this.teachE[k] = e > 0 ? p.teacher_gain * e : 0;
        this.teachI[k] = e < 0 ? -p.teacher_gain * e : 0;
      }
    }
    this.teachExc.setRates(this.teachE, t);
    this.teachInh.setRates(this.teachI, t);
  }

  private setGain(g: number): void {
    for (const r of this.rules) r.gain = g * this.plasticityScale * (r.projection === this.inHid ? this.hiddenFactor : 1);
  }

  /** out_hid weight (out j -> hid h) becomes B0(j, perm(h)) for a fresh uniform permutation (Fisher-Yates). */
  private shuffleFeedback(rng: Rng): void {
    const perm = this.perm;
    for (let i = perm.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    const H = this.hid.size;
    const w = this.outHid.weight;
    const at = this.feedbackAt;
    for (let k = 0; k < w.length; k++) {
      const src = at[this.feedbackPre[k] * H + perm[this.outHid.post[k]]];
      w[k] = src < 0 ? 0 : this.feedback0[src];
    }
  }

  /** Rest state for the LIF populations, empty STDP traces. */
  private reset(t: number): void {
    for (const pop of [this.hid, this.out]) resetPopulation(pop, t, { v_mv: pop.params.v_rest_mv, i_exc_mv: 0, i_inh_mv: 0 });
    this.clearTraces();
    this.apical?.clear();
  }

  /** Empties every STDP trace: no pair straddles the moment of the call. */
  private clearTraces(): void {
    for (const r of this.rules) {
      r.pre.clear();
      r.post.clear();
    }
  }

  /** Copies the forward weights of another learner built from the same scenario (same synapse order). */
  copyWeightsFrom(other: SpikingFa): void {
    this.inHid.weight.set(other.inHid.weight);
    this.hidOut.weight.set(other.hidOut.weight);
    this.outHid.weight.set(other.outHid.weight);
  }
}

/** Subtracts from each target neuron's incoming weights their mean (over its synapses from this projection). */
function centreColumns(p: Projection): void {
  const n = p.target.size;
  const sum = new Float64Array(n);
  const count = new Int32Array(n);
  const w = p.weight;
  for (let k = 0; k < p.count; k++) {
    sum[p.post[k]] += w[k];
    count[p.post[k]]++;
  }
  for (let k = 0; k < p.count; k++) w[k] -= sum[p.post[k]] / count[p.post[k]];
}

/** Subtracts from each source neuron's outgoing weights (in this projection) their mean. */
function centreRows(p: Projection): void {
  const n = p.source.size;
  const pre = p.synapsePre();
  const sum = new Float64Array(n);
  const count = new Int32Array(n);
  const w = p.weight;
  for (let k = 0; k < p.count; k++) {
    sum[pre[k]] += w[k];
    count[pre[k]]++;
  }
  for (let k = 0; k < p.count; k++) w[k] -= sum[pre[k]] / count[pre[k]];
}
