/**
 * Two top-down passes in spiking neurons (science.md claim 5), learning by STDP in the kernel.
 *
 * The top-down half of a rate stack (src/learning/two-pass/stack.ts) in LIF neurons: `top` Poisson sources fire at
 * the top activity times rate_max_hz (y in pass 1, y' = y + beta m (t - y) in pass 2); `td<l>` (l = L-1 .. 1) are
 * LIF populations, driven only from above through the decoders. Each unit is a group of K = units_per_group
 * neurons (and K top sources), so that one unit's drive is many small jumps rather than a few large ones:
 *
 *     w_mv(neuron of unit j above -> neuron of unit i) = gain_mv D_ij / (K tau_m rate_max)
 *     w_mv(bias neuron -> neuron of unit i)            = gain_mv (c_i + offset_mv / gain_mv) / (B tau_m rate_max)
 *
 * so that the summed mean drive of unit i is gain_mv (D r + c)_i + offset_mv (B `bias` sources at rate_max_hz).
 *
 * plus a bias current below threshold, a mean offset_mv more from the `bias` source, and balanced Poisson noise,
 * so that a neuron's rate is a smooth, sigmoid-like function of gain_mv times its logit. Encoder l's synapses (`bu<l-1>` -> `td<l>`, one Poisson source per unit of layer l - 1
 * at its bottom-up activity h_{l-1} times rate_max_hz, and `bias` -> `td<l>`) are plastic and deliver weight 0: they
 * see their presynaptic (bottom-up) activity and their postsynaptic (top-down) spikes, and drive nothing; a unit's
 * change is the mean over its K neurons (and, for the bias, over the B bias sources). Their
 * rule is the kernel's pair STDP with a symmetric window behind a phase gain (gated-stdp.ts, deferred into tags):
 * gain -1 in pass 1, +1 in pass 2, traces emptied at each pass's ends. For Poisson trains at steady rates,
 *
 *     E[dw] = (a tau_plus + a tau_minus) T r_pre (r_post^2 - r_post^1)       (pre times the change between passes)
 *
 * the two-pass update, the rate twin's e_l h_{l-1}^T times beta. A paired trial: each pass starts from silence
 * (t_gap_ms with every source off: with the bias below threshold and delta synapses, nothing fires, nothing is in
 * flight and nothing is refractory at its end), then rest, a warm-up with the gain 0, then T ms; both passes draw
 * the noise, bias and bottom-up spikes from the same streams (`<stream>/<source>`), so they differ only by the
 * top's rates (with the top unmoved they are the same spike for spike: tests/experiments/two-pass.test.ts).
 * The bottom-up pass (y, h_l) is the rate stack's: what is spiking here is the top-down passes and the learning.
 * Units: ms, mV, Hz at the boundary; activities unitless.
 */
import { Network } from '../scenario/network.js';
import { scenarioSchema, type ScenarioInput, type PlasticitySpec } from '../scenario/schema.js';
import type { PoissonSource } from '../neurons/sources.js';
import type { Population } from '../neurons/population.js';
import type { Projection } from '../synapses/projection.js';
import { GatedStdp } from '../learning/spiking/gated-stdp.js';
import { PhaseCounter } from '../learning/spiking/phase-counter.js';
import { resetPopulation } from '../neurons/reset.js';
import { createRng } from '../kernel/rng.js';
import { withoutPlasticity } from '../learning/spiking/spiking-fa.js';
import type { StackLayer } from '../learning/two-pass/stack.js';

export interface SpikingTwoPassOptions {
  rate_max_hz: number;
  /** Neurons per unit (K) and bias sources (B). */
  units_per_group: number;
  bias_size: number;
  gain_mv: number;
  /** Bias current (mV above rest), below threshold (20 mV), and the extra mean drive from the bias source (mV). */
  i_bias_mv: number;
  offset_mv: number;
  t_gap_ms: number;
  noise_rate_hz: number;
  noise_mv: number;
  t_warmup_ms: number;
  t_pass_ms: number;
  a_mv: number;
  tau_ms: number;
}

const TAU_M = 20;

/** sizes[l]: units of layer l (0 input .. L top). */
function scenario(sizes: number[], o: SpikingTwoPassOptions): ScenarioInput {
  const L = sizes.length - 1;
  const lif = { tau_m_ms: TAU_M, v_rest_mv: -70, v_reset_mv: -70, v_th_mv: -50, t_ref_ms: 2, i_bias_mv: o.i_bias_mv, tau_syn_exc_ms: 0, tau_syn_inh_ms: 0 };
  const plastic: PlasticitySpec = {
    rule: 'stdp', a_plus: o.a_mv, a_minus: o.a_mv, tau_plus_ms: o.tau_ms, tau_minus_ms: o.tau_ms, pairing: 'all_to_all', weight_dependence: 'additive',
    window: 'symmetric', sign: 1, w_min_mv: -1e9, w_max_mv: 1e9,
  } as PlasticitySpec;
  const all = { rule: 'all_to_all' as const };
  const K = o.units_per_group;
  const hidden = Array.from({ length: L - 1 }, (_, k) => k + 1);
  const nTd = K * hidden.reduce((s, l) => s + sizes[l], 0);
  const pops: ScenarioInput['populations'] = [
    { name: 'top', model: 'poisson_source', size: K * sizes[L], params: { rate_hz: 0 } },
    { name: 'bias', model: 'poisson_source', size: o.bias_size, params: { rate_hz: o.rate_max_hz } },
    { name: 'noise_exc', model: 'poisson_source', size: nTd, params: { rate_hz: o.noise_rate_hz } },
    { name: 'noise_inh', model: 'poisson_source', size: nTd, params: { rate_hz: o.noise_rate_hz } },
  ];
  const projs: ScenarioInput['projections'] = [];
  let first = 0;
  for (const l of hidden) {
    const n = K * sizes[l];
    pops.push({ name: `td${l}`, model: 'lif', size: n, params: lif }, { name: `bu${l - 1}`, model: 'poisson_source', size: sizes[l - 1], params: { rate_hz: 0 } });
    const pairs = { rule: 'pairs' as const, pre: Array.from({ length: n }, (_, i) => first + i), post: Array.from({ length: n }, (_, i) => i) };
    projs.push(
      { name: `noise_exc_td${l}`, from: 'noise_exc', to: `td${l}`, receptor: 'exc', connect: pairs, weight_mv: o.noise_mv },
      { name: `noise_inh_td${l}`, from: 'noise_inh', to: `td${l}`, receptor: 'inh', connect: pairs, weight_mv: -o.noise_mv },
      { name: `dec${l + 1}`, from: l + 1 === L ? 'top' : `td${l + 1}`, to: `td${l}`, receptor: 'exc', connect: all, weight_mv: 0 },
      { name: `decbias${l + 1}`, from: 'bias', to: `td${l}`, receptor: 'exc', connect: all, weight_mv: 0 },
      { name: `enc${l}`, from: `bu${l - 1}`, to: `td${l}`, receptor: 'exc', connect: all, weight_mv: 0, plasticity: plastic },
      { name: `encbias${l}`, from: 'bias', to: `td${l}`, receptor: 'exc', connect: all, weight_mv: 0, plasticity: plastic },
    );
    first += n;
  }
  return { name: 'two-pass-spiking', seed: 1, duration_ms: 1, populations: pops, projections: projs, record: { spikes: [], state: [], weights: [] } };
}

export class SpikingTwoPass {
  readonly net: Network;
  readonly L: number;
  private readonly top: PoissonSource;
  private readonly bu: PoissonSource[] = [];
  private readonly td: Population[] = [];
  /** Per hidden layer l (index l - 1): the encoder's weight and bias rules. */
  readonly rules: { w: GatedStdp; b: GatedStdp }[] = [];
  private readonly srcs: PoissonSource[];
  private readonly counters: PhaseCounter[] = [];
  /** Spike counts of td<l> (index l - 1) per neuron (unit j: neurons jK .. jK + K - 1) in the last pass's learning window, per pass (0: pass 1, 1: pass 2). */
  readonly counts: Int32Array[][] = [[], []];
  t = 0;

  constructor(readonly sizes: number[], readonly o: SpikingTwoPassOptions) {
    if (!(o.i_bias_mv < 20)) throw new Error(`spiking.i_bias_mv must be below threshold (20 mV above rest), got ${o.i_bias_mv}`);
    const sc = scenarioSchema.parse(scenario(sizes, o));
    this.net = new Network(withoutPlasticity(sc));
    this.L = sizes.length - 1;
    const em = (n: string) => this.net.emitters.get(n) as PoissonSource;
    this.top = em('top');
    const spec = sc.projections.find((p) => p.plasticity)!.plasticity!;
    for (let l = 1; l < this.L; l++) {
      this.bu.push(em(`bu${l - 1}`));
      this.td.push(this.net.populations.get(`td${l}`)!);
      const rule = (n: string) => new GatedStdp(this.net.projections.get(n)!, spec, true).attach();
      this.rules.push({ w: rule(`enc${l}`), b: rule(`encbias${l}`) });
      this.counters.push(new PhaseCounter(this.td[l - 1]));
    }
    this.srcs = ['bias', 'noise_exc', 'noise_inh'].map(em);
    this.net.start();
  }

  private proj(name: string): Projection {
    return this.net.projections.get(name)!;
  }

  /** Delivered decoder weights from the rate stack's decoders (layers[l] is decoder l + 1). */
  setDecoders(layers: StackLayer[]): void {
    const { gain_mv, rate_max_hz, units_per_group: K, bias_size: B, offset_mv } = this.o;
    const k = gain_mv / ((TAU_M * rate_max_hz) / 1000);
    for (let l = 1; l < this.L; l++) {
      const dec = layers[l];
      const p = this.proj(`dec${l + 1}`);
      const pre = p.synapsePre();
      for (let s = 0; s < p.count; s++) p.weight[s] = (k / K) * dec.D[Math.floor(p.post[s] / K) * dec.nOut + Math.floor(pre[s] / K)];
      const pb = this.proj(`decbias${l + 1}`);
      for (let s = 0; s < pb.count; s++) pb.weight[s] = (k / B) * (dec.c[Math.floor(pb.post[s] / K)] + offset_mv / gain_mv);
    }
  }

  private setGain(g: number): void {
    for (const r of this.rules) r.w.gain = r.b.gain = g;
  }

  private pass(top: ArrayLike<number>, bottomUp: Float64Array[], stream: string, seed: number, gain: number, which: 0 | 1): void {
    const { o } = this;
    this.silence();
    this.t += o.t_gap_ms;
    this.net.run(this.t);
    const t = this.t;
    for (const p of this.td) resetPopulation(p, t, { v_mv: p.params.v_rest_mv });
    for (const s of this.srcs) s.useStream(createRng(seed, `${stream}/${s.name}`));
    this.top.useStream(createRng(seed, `${stream}/top`));
    const K = o.units_per_group;
    this.top.setRates(Array.from({ length: this.top.size }, (_, i) => top[Math.floor(i / K)] * o.rate_max_hz), t);
    this.bu.forEach((b, k) => {
      b.useStream(createRng(seed, `${stream}/bu${k}`));
      b.setRates(Array.from(bottomUp[k], (v) => v * o.rate_max_hz), t);
    });
    for (const s of this.srcs) s.setRates(new Array(s.size).fill(s.name === 'bias' ? o.rate_max_hz : o.noise_rate_hz), t);
    this.setGain(0);
    this.t += o.t_warmup_ms;
    this.net.run(this.t);
    for (const r of this.rules) for (const x of [r.w, r.b]) (x.pre.clear(), x.post.clear());
    for (const c of this.counters) c.clear();
    this.setGain(gain);
    this.t += o.t_pass_ms;
    this.net.run(this.t);
    this.setGain(0);
    this.counts[which] = this.counters.map((c) => c.counts.slice());
  }

  private silence(): void {
    for (const s of [this.top, ...this.bu, ...this.srcs]) s.setRates(new Float64Array(s.size), this.t);
  }

  /** One paired trial: pass 1 from `y` (gain -1), pass 2 from `moved` (gain +1), on the same streams. The
   * learned change is left in the rules' tags (read with `tags`, reset with `retag`). `bottomUp[k]`: h_k. */
  pairedTrial(y: ArrayLike<number>, moved: ArrayLike<number>, bottomUp: Float64Array[], seed: number, stream: string): void {
    this.pass(y, bottomUp, stream, seed, -1, 0);
    this.pass(moved, bottomUp, stream, seed, 1, 1);
    this.silence();
  }

  /** Tags back to the delivered weights (0): the next trial's change starts from zero. */
  retag(): void {
    for (const r of this.rules) (r.w.retag(), r.b.retag());
  }

  /** Encoder l's tagged change per unit pair in the order of stack.encoderUpdate (W[j * nIn + i], then the bias),
   * in mV: the mean over the K neurons of unit j (and the B bias sources). */
  tags(l: number): Float64Array {
    const { w, b } = this.rules[l - 1];
    const { units_per_group: K, bias_size: B } = this.o;
    const nIn = this.sizes[l - 1];
    const nOut = this.sizes[l];
    const out = new Float64Array(nOut * (nIn + 1));
    const pw = this.proj(`enc${l}`);
    const pre = pw.synapsePre();
    for (let s = 0; s < pw.count; s++) out[Math.floor(pw.post[s] / K) * nIn + pre[s]] += w.tagged![s] / K;
    const pb = this.proj(`encbias${l}`);
    for (let s = 0; s < pb.count; s++) out[nOut * nIn + Math.floor(pb.post[s] / K)] += b.tagged![s] / (K * B);
    return out;
  }

  /** mV of tag per unit of rate two-pass update (e_l h^T times beta): E[dw] / (beta e h) for Poisson trains. */
  scale(): number {
    const { o } = this;
    const r = o.rate_max_hz / 1000;
    return 2 * o.a_mv * o.tau_ms * o.t_pass_ms * r * r;
  }
}
