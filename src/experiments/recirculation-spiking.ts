/**
 * Spiking recirculation (science.md claim 4): the visible -> hidden -> visible loop of Hinton & McClelland (1988) in
 * LIF neurons, learning only by STDP in the kernel (the `stdp` rule behind a global gain, gated-stdp.ts).
 *
 * Each unit of the n-m-n encoder is a group of K LIF neurons (K = `units_per_group`). Populations:
 *   `in`   Poisson sources, one per visible neuron (one_to_one, delta synapse `input_weight_mv`): the pattern, at
 *          pattern * input_rate_hz (first pass) and lambda * pattern * input_rate_hz (second pass);
 *   `bias` Poisson sources at bias_rate_hz, always on: the always-active unit whose plastic weights are the biases;
 *   `vis`, `hid` LIF (delta synapses). `vis` is silent without input; `hid` has a suprathreshold bias current, so
 *          it fires regularly at rest and its inputs move its rate both ways.
 * Plastic projections (all_to_all): `vis_hid` (W_hv) and `bias_hid` (b_h), bottom-up, always delivered; `hid_vis`
 * (W_vh) and `bias_vis` (b_v), the top-down reconstruction path, delivered with weight 0 in the first pass,
 * (1 - lambda) times the learned weights in the second (the drive is lambda input + (1 - lambda) reconstruction, so
 * that at the fixed point v2 = v0 the reconstruction alone drives the visible layer as the input did), and the full
 * learned weights in a test pass (input off).
 *
 * One training example (pattern p, from time t):
 *   reset      vis and hid to rest (v = v_rest), so examples do not interact;
 *   warm-up    [t, t + t_warmup): the first pass's drive, plasticity gain 0 (the onset from rest is not learned);
 *   pass 1     t_pass_ms: input p at input_rate_hz; top-down off;
 *   pass 2     t_pass_ms: input at lambda times that; top-down on (the reconstruction);
 * The learned weights are the rules' tags (deferred consolidation, gated-stdp.ts): every update is made by the rule
 * at a spike, and the delivered weights are refreshed from the tags at the start of each example, so both passes
 * run on the same weights, as in the rate algorithm, which updates after each pattern.
 *
 * Learning variants (`rule`):
 *   "gated"   symmetric window, gain +1 in pass 1 and -1 in pass 2, traces emptied at the boundary:
 *             E[dw] ~ (a_plus tau_plus + a_minus tau_minus) T (r_pre^1 r_post^1 - r_pre^2 r_post^2),
 *             pre times (earlier - later) post where the pre rate is the same in both passes;
 *   "ungated" antisymmetric window, sign `sign` (-1: reversed STDP), gain 1 throughout both passes, no boundary:
 *             a balanced window leaves only the derivative term (claim 3), E[dw] ~ -sign (a_plus tau_plus^2 +
 *             a_minus tau_minus^2) r_pre (r_post^1 - r_post^2) at the transition: with sign -1, pre times
 *             (earlier - later) post, the recirculation update; the literal claim.
 * Nothing here computes an update: the learner only switches rates, delivered weights and the gain.
 */
import { Network } from '../scenario/network.js';
import { scenarioSchema, type ScenarioInput, type PlasticitySpec } from '../scenario/schema.js';
import type { Population } from '../neurons/population.js';
import type { PoissonSource } from '../neurons/sources.js';
import type { Projection } from '../synapses/projection.js';
import { GatedStdp } from '../learning/spiking/gated-stdp.js';
import { PhaseCounter } from '../learning/spiking/phase-counter.js';
import { resetPopulation } from '../neurons/reset.js';
import { createRng } from '../kernel/rng.js';
import { withoutPlasticity } from '../learning/spiking/spiking-fa.js';
import { PopulationSnapshot } from '../neurons/snapshot.js';

export interface SpikingRecirculationOptions {
  nv: number;
  nh: number;
  units_per_group: number;
  lambda: number;
  rule: 'gated' | 'ungated';
  sign: 1 | -1;
  input_rate_hz: number;
  input_weight_mv: number;
  bias_size: number;
  bias_rate_hz: number;
  /** Bias currents (mV) of the visible and hidden LIF neurons. */
  vis_bias_mv: number;
  hid_bias_mv: number;
  /** Background noise of every visible and hidden neuron: two Poisson sources each (one_to_one), +-noise_mv at
   * noise_rate_hz each, so that each neuron's rate is a smooth function of its drive, above zero at zero drive. */
  noise_rate_hz: number;
  noise_mv: number;
  t_warmup_ms: number;
  t_pass_ms: number;
  t_test_ms: number;
  /** Initial weights uniform in +-init_mv (visible -> hidden and hidden -> visible); bias weights start at 0. */
  init_vh_mv: number;
  init_hv_mv: number;
  /** STDP amplitude (a_plus = a_minus, mV) per projection and time constant (tau_plus = tau_minus). */
  a_bottom_up: number;
  a_top_down: number;
  tau_ms: number;
  w_bound_mv: number;
  /** Where the second pass starts (gated rule only): "continue" from the first pass's end, or "replay": from the
   * state the first pass started from, with the same noise, bias and input spike streams, so that the two passes
   * differ only by their drive (lambda times the input, plus the reconstruction) and not by independent noise. */
  second_pass?: 'continue' | 'replay';
}

export interface PassCounts {
  /** Spike counts per neuron: vis and hid in pass 1 (v0, h1) and pass 2 (v2, h3). */
  v0: Int32Array;
  h1: Int32Array;
  v2: Int32Array;
  h3: Int32Array;
}

const PLASTIC = ['vis_hid', 'bias_hid', 'hid_vis', 'bias_vis'] as const;
type PlasticName = (typeof PLASTIC)[number];

/** The network of one learner, as a scenario (valid by construction; parsed for defaults only). */
export function recirculationScenario(o: SpikingRecirculationOptions, seed: number): ScenarioInput {
  const K = o.units_per_group;
  const lif = (bias: number) => ({ tau_m_ms: 20, v_rest_mv: -70, v_reset_mv: -70, v_th_mv: -50, t_ref_ms: 2, i_bias_mv: bias, tau_syn_exc_ms: 0, tau_syn_inh_ms: 0 });
  const plastic = (a: number): PlasticitySpec => ({
    rule: 'stdp', a_plus: a, a_minus: a, tau_plus_ms: o.tau_ms, tau_minus_ms: o.tau_ms, pairing: 'all_to_all', weight_dependence: 'additive',
    window: o.rule === 'gated' ? 'symmetric' : 'antisymmetric', sign: o.rule === 'gated' ? 1 : o.sign, w_min_mv: -o.w_bound_mv, w_max_mv: o.w_bound_mv,
  });
  const all = { rule: 'all_to_all' as const };
  const pairs = (from: number, n: number) => ({ rule: 'pairs' as const, pre: Array.from({ length: n }, (_, i) => from + i), post: Array.from({ length: n }, (_, i) => i) });
  return {
    name: 'recirculation', seed, duration_ms: 1,
    populations: [
      { name: 'in', model: 'poisson_source', size: o.nv * K, params: { rate_hz: 0 } },
      { name: 'bias', model: 'poisson_source', size: o.bias_size, params: { rate_hz: o.bias_rate_hz } },
      { name: 'vis', model: 'lif', size: o.nv * K, params: lif(o.vis_bias_mv) },
      { name: 'hid', model: 'lif', size: o.nh * K, params: lif(o.hid_bias_mv) },
      { name: 'probe', model: 'lif', size: o.nv * K, params: lif(o.vis_bias_mv) },
      // Noise sources: the first nv K for the visible neurons, the next nh K for the hidden ones, the last nv K for
      // the probe.
      { name: 'noise_exc', model: 'poisson_source', size: (2 * o.nv + o.nh) * K, params: { rate_hz: o.noise_rate_hz } },
      { name: 'noise_inh', model: 'poisson_source', size: (2 * o.nv + o.nh) * K, params: { rate_hz: o.noise_rate_hz } },
    ],
    projections: [
      ...(['exc', 'inh'] as const).flatMap((r) => [
        { name: `noise_${r}_vis`, from: `noise_${r}`, to: 'vis', receptor: r, connect: pairs(0, o.nv * K), weight_mv: r === 'exc' ? o.noise_mv : -o.noise_mv },
        { name: `noise_${r}_hid`, from: `noise_${r}`, to: 'hid', receptor: r, connect: pairs(o.nv * K, o.nh * K), weight_mv: r === 'exc' ? o.noise_mv : -o.noise_mv },
        { name: `noise_${r}_probe`, from: `noise_${r}`, to: 'probe', receptor: r, connect: pairs((o.nv + o.nh) * K, o.nv * K), weight_mv: r === 'exc' ? o.noise_mv : -o.noise_mv },
      ]),
      { name: 'in_vis', from: 'in', to: 'vis', receptor: 'exc', connect: { rule: 'one_to_one' }, weight_mv: o.input_weight_mv },
      { name: 'vis_hid', from: 'vis', to: 'hid', receptor: 'exc', connect: all, weight_mv: { uniform: [-o.init_vh_mv, o.init_vh_mv] }, plasticity: plastic(o.a_bottom_up) },
      { name: 'bias_hid', from: 'bias', to: 'hid', receptor: 'exc', connect: all, weight_mv: { uniform: [0, 0] }, plasticity: plastic(o.a_bottom_up) },
      { name: 'hid_vis', from: 'hid', to: 'vis', receptor: 'exc', connect: all, weight_mv: { uniform: [-o.init_hv_mv, o.init_hv_mv] }, plasticity: plastic(o.a_top_down) },
      { name: 'bias_vis', from: 'bias', to: 'vis', receptor: 'exc', connect: all, weight_mv: { uniform: [0, 0] }, plasticity: plastic(o.a_top_down) },
      // The probe: a copy of the visible layer that receives only the top-down path (weights written at test time).
      { name: 'hid_probe', from: 'hid', to: 'probe', receptor: 'exc', connect: all, weight_mv: { uniform: [0, 0] } },
      { name: 'bias_probe', from: 'bias', to: 'probe', receptor: 'exc', connect: all, weight_mv: { uniform: [0, 0] } },
    ],
    record: { spikes: [], state: [], weights: [] },
  };
}

export class SpikingRecirculation {
  readonly net: Network;
  readonly input: PoissonSource;
  readonly vis: Population;
  readonly hid: Population;
  /** The plastic projections and their rules; a rule's `tagged` array holds the learned weights. */
  readonly proj: Record<PlasticName, Projection>;
  readonly rules: Record<PlasticName, GatedStdp>;
  private readonly visCount: PhaseCounter;
  private readonly hidCount: PhaseCounter;
  private readonly probeCount: PhaseCounter;
  readonly probe: Population;
  private readonly rates: Float64Array;
  /** Simulated time so far (ms). */
  t = 0;
  /** second_pass "replay": the visible and hidden states at the first pass's start; the noise seed and stream last
   * set (useNoise) and the examples presented since, which name each example's replayed streams. */
  private readonly snapshots: PopulationSnapshot[];
  private noise: { seed: number; stream: string; examples: number } | null = null;
  /** The learned top-down weights at the current example's start (deliverStart). */
  private readonly topDown0: Record<'hid_vis' | 'bias_vis', Float64Array>;

  /** `seed` sets the initial weights (streams `projection/<name>`) and, unless `noiseSeed` is given, the spikes. */
  constructor(readonly o: SpikingRecirculationOptions, seed: number) {
    // Built without plasticity; the scenario's rules are attached here as gated, deferred STDP (gated-stdp.ts).
    const sc = scenarioSchema.parse(recirculationScenario(o, seed));
    this.net = new Network(withoutPlasticity(sc));
    const net = this.net;
    this.input = net.emitters.get('in') as PoissonSource;
    this.vis = net.populations.get('vis')!;
    this.hid = net.populations.get('hid')!;
    const proj = {} as Record<PlasticName, Projection>;
    const rules = {} as Record<PlasticName, GatedStdp>;
    const spec = sc.projections;
    for (const name of PLASTIC) {
      const p = net.projections.get(name)!;
      proj[name] = p;
      rules[name] = new GatedStdp(p, spec.find((s) => s.name === name)!.plasticity!, true).attach();
      rules[name].gain = 0;
    }
    this.proj = proj;
    this.rules = rules;
    this.visCount = new PhaseCounter(this.vis);
    this.hidCount = new PhaseCounter(this.hid);
    this.probe = net.populations.get('probe')!;
    this.probeCount = new PhaseCounter(this.probe);
    this.rates = new Float64Array(this.input.size);
    this.topDown0 = { hid_vis: new Float64Array(proj.hid_vis.count), bias_vis: new Float64Array(proj.bias_vis.count) };
    this.snapshots = o.second_pass === 'replay' ? [new PopulationSnapshot(this.vis), new PopulationSnapshot(this.hid)] : [];
    net.start();
  }

  /** Spikes from now on come from stream `noise/<stream>` of `seed` (all sources). */
  useNoise(seed: number, stream: string): void {
    this.noise = { seed, stream, examples: 0 };
    this.useStreams(seed, stream);
  }

  private useStreams(seed: number, stream: string): void {
    this.input.useStream(createRng(seed, `noise/${stream}/in`));
    for (const name of ['bias', 'noise_exc', 'noise_inh']) (this.net.emitters.get(name) as PoissonSource).useStream(createRng(seed, `noise/${stream}/${name}`));
  }

  /** Learned weights of a plastic projection (the rule's tags). */
  learned(name: PlasticName): Float64Array {
    return this.rules[name].tagged!;
  }

  private setInput(pattern: ArrayLike<number>, scale: number, t: number): void {
    const K = this.o.units_per_group;
    for (let i = 0; i < this.rates.length; i++) this.rates[i] = pattern[Math.floor(i / K)] * scale * this.o.input_rate_hz;
    this.input.setRates(this.rates, t);
  }

  /** At an example's start: the bottom-up weights as learned, the top-down path off, and the learned top-down
   * weights kept for the second pass, which must run on the weights the first pass ran on (the tags move during
   * the first pass). */
  private deliverStart(): void {
    this.proj.vis_hid.weight.set(this.learned('vis_hid'));
    this.proj.bias_hid.weight.set(this.learned('bias_hid'));
    for (const name of ['hid_vis', 'bias_vis'] as const) {
      this.topDown0[name].set(this.learned(name));
      this.proj[name].weight.fill(0);
    }
  }

  /** The top-down path at `scale` times the weights learned at the example's start. */
  private deliverTopDown(scale: number): void {
    for (const name of ['hid_vis', 'bias_vis'] as const) {
      const w = this.proj[name].weight;
      const l = this.topDown0[name];
      for (let k = 0; k < w.length; k++) w[k] = scale * l[k];
    }
  }

  private setGain(g: number): void {
    for (const name of PLASTIC) this.rules[name].gain = g;
  }

  private clearTraces(): void {
    for (const name of PLASTIC) {
      this.rules[name].pre.clear();
      this.rules[name].post.clear();
    }
  }

  /** Rest, traces empty, and the first pass's drive from time t; runs the warm-up. */
  private begin(pattern: ArrayLike<number>): void {
    const t = this.t;
    for (const pop of [this.vis, this.hid, this.probe]) resetPopulation(pop, t, { v_mv: pop.params.v_rest_mv });
    this.clearTraces();
    this.deliverStart();
    this.setGain(0);
    this.setInput(pattern, 1, t);
    this.t = t + this.o.t_warmup_ms;
    this.net.run(this.t);
  }

  private runPass(ms: number): { v: Int32Array; h: Int32Array } {
    this.visCount.clear();
    this.hidCount.clear();
    this.t += ms;
    this.net.run(this.t);
    return { v: this.visCount.counts.slice(), h: this.hidCount.counts.slice() };
  }

  /** One training example: warm-up, pass 1, pass 2, with learning by the chosen rule (gain `scale`). */
  present(pattern: ArrayLike<number>, scale = 1): PassCounts {
    const { o } = this;
    this.begin(pattern);
    const gated = o.rule === 'gated';
    // Gated: each pass counts only its own pairs (traces emptied at both of its ends), so the two passes count pairs
    // over windows of the same length; ungated: pairs with warm-up spikes count, so the first pass starts with no
    // edge, and the balanced window's expected edge term at the end of the second pass is zero.
    if (gated) this.clearTraces();
    const replay = gated && this.snapshots.length > 0 && this.noise !== null;
    const pair = replay ? `${this.noise!.stream}/pair/${this.noise!.examples++}` : '';
    if (replay) {
      for (const snap of this.snapshots) snap.save(this.t);
      this.pairStreams(pair);
      this.setInput(pattern, 1, this.t);
    }
    this.setGain(scale);
    const p1 = this.runPass(o.t_pass_ms);
    if (gated) {
      this.clearTraces();
      this.setGain(-scale);
    }
    if (replay) {
      for (const snap of this.snapshots) snap.restore(this.t);
      this.pairStreams(pair);
    }
    this.setInput(pattern, o.lambda, this.t); // replaying: the input's first draws from the pair's stream, as in pass 1
    this.deliverTopDown(1 - o.lambda);
    const p2 = this.runPass(o.t_pass_ms);
    this.setGain(0);
    this.silence();
    return { v0: p1.v, h1: p1.h, v2: p2.v, h3: p2.h };
  }

  /** Test, no learning: the first pass's drive for warm-up plus `t_test_ms`; the hidden layer responds to the input
   * as in the first pass (h1), and the probe, a copy of the visible layer driven by the top-down path alone with the
   * full learned weights, reads out the reconstruction f(W_vh h1 + b_v); returns the probe's spike counts. The probe
   * does not feed back: the loop is not run (with input off, the loop settles to one attractor for every pattern
   * within tens of ms, which is not what the rate algorithm's check, a single top-down pass, measures). */
  test(pattern: ArrayLike<number>): Int32Array {
    const hidProbe = this.net.projections.get('hid_probe')!;
    const biasProbe = this.net.projections.get('bias_probe')!;
    hidProbe.weight.set(this.learned('hid_vis'));
    biasProbe.weight.set(this.learned('bias_vis'));
    resetPopulation(this.probe, this.t, { v_mv: this.probe.params.v_rest_mv });
    this.begin(pattern);
    this.probeCount.clear();
    this.runPass(this.o.t_test_ms);
    const counts = this.probeCount.counts.slice();
    hidProbe.weight.fill(0);
    biasProbe.weight.fill(0);
    this.silence();
    return counts;
  }

  /** Every source on stream `noise/<pair>` from now on, the background sources redrawn at their rates (the input is
   * redrawn by the caller's setInput), so both passes of a pair take the same draws. */
  private pairStreams(pair: string): void {
    this.useStreams(this.noise!.seed, pair);
    for (const name of ['bias', 'noise_exc', 'noise_inh']) {
      const src = this.net.emitters.get(name) as PoissonSource;
      src.setRates(src.rates, this.t);
    }
  }

  private silence(): void {
    this.rates.fill(0);
    this.input.setRates(this.rates, this.t);
  }
}

/** Per visible group: spike counts summed over its K neurons. */
export function groupCounts(counts: Int32Array, K: number): number[] {
  const g = new Array(counts.length / K).fill(0);
  for (let i = 0; i < counts.length; i++) g[Math.floor(i / K)] += counts[i];
  return g;
}

/** Whether pattern k's group fires at least `ratio` times as much as every other group (and at all). */
export function groupWins(groups: number[], k: number, ratio: number): boolean {
  if (!(groups[k] > 0)) return false;
  return groups.every((c, i) => i === k || groups[k] >= ratio * c);
}

export interface SpikingTrainResult {
  /** Sweeps to success, or null. */
  sweeps: number | null;
  /** Visible group counts in the last test, per pattern (rows) and group (columns). */
  lastTest: number[][];
  /** Checks made: sweep and how many patterns were reconstructed. */
  checks: { sweep: number; reconstructed: number }[];
}

/** Trains on the encoder's patterns, a sweep presenting each once in order; after every `checkEvery` sweeps, tests
 * each pattern (`test`): success when every pattern's own visible group fires at least `ratio` times as much as
 * every other group. Spikes from stream `noise/train` of `seed`, tests from `noise/test/<sweep>`. */
export function trainSpiking(net: SpikingRecirculation, patterns: ArrayLike<number>[], seed: number, maxSweeps: number, checkEvery: number, ratio: number): SpikingTrainResult {
  const K = net.o.units_per_group;
  const checks: { sweep: number; reconstructed: number }[] = [];
  let lastTest: number[][] = [];
  for (let s = 1; s <= maxSweeps; s++) {
    net.useNoise(seed, `train/${s}`);
    for (const p of patterns) net.present(p);
    if (s % checkEvery !== 0) continue;
    net.useNoise(seed, `test/${s}`);
    lastTest = patterns.map((p) => groupCounts(net.test(p), K));
    const ok = lastTest.filter((g, k) => groupWins(g, k, ratio)).length;
    checks.push({ sweep: s, reconstructed: ok });
    if (ok === patterns.length) return { sweeps: s, lastTest, checks };
  }
  return { sweeps: null, lastTest, checks };
}
