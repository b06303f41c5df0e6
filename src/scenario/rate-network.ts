/**
 * The rate-coded twin of a network scenario (`mode: "rate"`): the same populations and projections, with rates
 * instead of spikes, integrated on a fixed clock of `rate.dt_ms` in four named phases per step.
 *
 *   1. drive:      tau_s dI_r/dt = -I_r + tau_s sum_j w_ij r_j          (exponential synapses, receptor r)
 *                  delta synapses add their mean drive tau_m sum_j w_ij r_j to mu directly
 *                  spike_source inputs keep their spikes: I_r jumps by w at each listed time, as in a spiking run
 *   2. rates:      mu = v_rest + i_bias + sum_r I_r,  sigma^2 = tau_m sum_j J_ij^2 r_j  (J = w tau_s / tau_m, or w)
 *                  tau_rate dr/dt = -r + phi(mu, sigma), phi = Siegert with the Fourcaud-Brunel correction
 *                  (rate/lif-transfer.ts; `transfer: "noise_free"` uses the deterministic f-I curve)
 *   3. plasticity: the expectation of the spiking rule for independent Poisson trains. `exact` (default) uses rate
 *                  traces x(t) = int r_pre(t') e^{-(t-t')/tau_plus} dt', y likewise with tau_minus:
 *                      dw/dt = sign (a_plus r_post x F + k a_minus r_pre y F)
 *                  which integrates the double integral of W against the rates exactly (all-to-all pairing);
 *                  `first_order` uses dw/dt = r_pre r_post int W + r_pre dr_post/dt int s W.
 *   4. record:     population mean rates every `rate.record_every_ms`.
 * Each step is exact for inputs held constant over the step (exponential integrators). Sources give their rates
 * (profiles and windows included). Rates are per ms inside, Hz at the boundary.
 */
import type { Scenario } from './schema.js';
import type { StdpSpec } from '../synapses/plasticity/spec.js';
import { createRng } from '../kernel/rng.js';
import { connect } from '../synapses/connect.js';
import { draw } from './draw.js';
import { neuronModels } from '../../models/index.js';
import { resolveParams } from './params.js';
import { sourceKinds } from '../neurons/source-kinds.js';
import { windowMoments } from '../analysis/window-integrals.js';
import { TransferTable } from '../rate/transfer-table.js';
import { piecewiseLinear } from '../neurons/sources.js';

interface RateSource {
  kind: 'rates';
  rates: Float64Array; // per ms, per neuron, before profile and window
  profile?: { times_ms: number[]; rates_hz: number[] };
  start: number;
  stop: number;
}
interface SpikeListSource {
  kind: 'spikes';
  times: number[][];
  /** Per neuron: spikes [from, cursor) fall in the current step. */
  from: Int32Array;
  cursor: Int32Array;
}

function advanceCursor(src: SpikeListSource, tEnd: number): void {
  for (let i = 0; i < src.times.length; i++) {
    src.from[i] = src.cursor[i];
    const ts = src.times[i];
    let c = src.cursor[i];
    while (c < ts.length && ts[c] < tEnd) c++;
    src.cursor[i] = c;
  }
}

export interface RatePopulation {
  name: string;
  size: number;
  /** Current rates (per ms). */
  r: Float64Array;
  /** Rate at the previous step (for dr/dt). */
  rPrev: Float64Array;
  neuron: boolean;
  source?: RateSource | SpikeListSource;
  // Neuron populations:
  params?: Record<string, number>;
  I?: [Float64Array, Float64Array]; // mean drive per receptor (mV)
  acc?: [Float64Array, Float64Array]; // sum_j w_ij r_j this step, per receptor
  var?: Float64Array; // sigma^2 accumulated this step (mV^2)
  tauDrive?: [number, number]; // relaxation time of each receptor's drive: tau_s, or tau_m for delta synapses
  jScale?: [number, number]; // J / w: tau_s / tau_m, or 1 for delta synapses
  table?: TransferTable;
}

export interface RateProjection {
  name: string;
  from: RatePopulation;
  to: RatePopulation;
  receptor: 0 | 1;
  pre: Int32Array;
  post: Int32Array;
  weight: Float64Array;
  count: number;
  plasticity?: StdpSpec;
  x?: Float64Array; // expected pre trace per synapse's pre neuron
  y?: Float64Array; // expected post trace per post neuron
}

export class RateNetwork {
  readonly pops = new Map<string, RatePopulation>();
  readonly projections: RateProjection[] = [];
  readonly dt: number;
  readonly form: 'exact' | 'first_order';
  now = 0;
  readonly recordTimes: number[] = [];
  readonly recordRates = new Map<string, number[]>();
  private readonly recordEvery: number;
  private nextRecord = 0;

  constructor(readonly scenario: Scenario) {
    const opt = scenario.rate;
    this.dt = opt.dt_ms;
    this.form = opt.plasticity_form;
    this.recordEvery = opt.record_every_ms;
    for (const p of scenario.populations) {
      const model = neuronModels[p.model];
      const pop: RatePopulation = { name: p.name, size: p.size, r: new Float64Array(p.size), rPrev: new Float64Array(p.size), neuron: !!model };
      if (model) {
        pop.params = resolveParams(model.params, p.params);
        const q = pop.params;
        pop.I = [new Float64Array(p.size), new Float64Array(p.size)];
        pop.acc = [new Float64Array(p.size), new Float64Array(p.size)];
        pop.var = new Float64Array(p.size);
        pop.tauDrive = [q.tau_syn_exc_ms > 0 ? q.tau_syn_exc_ms : q.tau_m_ms, q.tau_syn_inh_ms > 0 ? q.tau_syn_inh_ms : q.tau_m_ms];
        pop.jScale = [q.tau_syn_exc_ms > 0 ? q.tau_syn_exc_ms / q.tau_m_ms : 1, q.tau_syn_inh_ms > 0 ? q.tau_syn_inh_ms / q.tau_m_ms : 1];
        pop.table = new TransferTable(pop.params, opt.transfer);
      } else {
        const params = sourceKinds[p.model].schema.parse(p.params) as Record<string, unknown>;
        if (p.model === 'spike_source') {
          const times = (params.spike_times_ms as number[][]).map((ts) => [...ts].sort((a, b) => a - b));
          pop.source = { kind: 'spikes', times, from: new Int32Array(p.size), cursor: new Int32Array(p.size) };
        }
        else {
          const rate = p.model === 'rate_source' ? (params.rates_hz as number[]) : null;
          const r = params.rate_hz as number | { times_ms: number[]; rates_hz: number[] } | undefined;
          pop.source = {
            kind: 'rates',
            rates: Float64Array.from({ length: p.size }, (_, i) => (rate ? rate[i] : typeof r === 'number' ? r : 1) * 1e-3),
            profile: typeof r === 'object' ? r : undefined,
            start: (params.start_ms as number) ?? 0,
            stop: (params.stop_ms as number | undefined) ?? Infinity,
          };
        }
      }
      this.pops.set(p.name, pop);
      this.recordRates.set(p.name, []);
    }
    // Same connectivity and weights as the spiking run: same streams, same draws.
    for (const pr of scenario.projections) {
      const rng = createRng(scenario.seed, `projection/${pr.name}`);
      const from = this.pops.get(pr.from)!;
      const to = this.pops.get(pr.to)!;
      const e = connect(pr.connect, from.size, to.size, pr.from === pr.to, rng);
      const weight = new Float64Array(e.count);
      const w = pr.weight_mv;
      for (let k = 0; k < e.count; k++) weight[k] = Array.isArray(w) ? w[k] : draw(w, rng);
      if (pr.plasticity) for (let k = 0; k < e.count; k++) weight[k] = Math.min(pr.plasticity.w_max_mv, Math.max(pr.plasticity.w_min_mv, weight[k]));
      // validate.ts lets only the pair rule through in rate mode.
      if (pr.plasticity && pr.plasticity.rule !== 'stdp') throw new Error(`projections.${pr.name}.plasticity.rule ${pr.plasticity.rule} has no rate-coded twin`);
      const proj: RateProjection = {
        name: pr.name, from, to, receptor: pr.receptor === 'exc' ? 0 : 1,
        pre: e.pre.slice(0, e.count), post: e.post.slice(0, e.count), weight, count: e.count, plasticity: pr.plasticity,
      };
      if (pr.plasticity) {
        proj.x = new Float64Array(from.size);
        proj.y = new Float64Array(to.size);
      }
      this.projections.push(proj);
    }
  }

  /** Runs [now, tEnd) in steps of dt. */
  run(tEnd: number, onProgress?: (now: number) => void): void {
    const steps = Math.round((tEnd - this.now) / this.dt);
    for (let s = 0; s < steps; s++) {
      this.step();
      if (onProgress && (s & 1023) === 0) onProgress(this.now);
    }
  }

  private sourceRates(t: number): void {
    for (const pop of this.pops.values()) {
      const src = pop.source;
      if (!src || src.kind !== 'rates') continue;
      const on = t >= src.start && t < src.stop;
      const g = on ? (src.profile ? piecewiseLinear(src.profile.times_ms, src.profile.rates_hz, t) : 1) : 0;
      for (let i = 0; i < pop.size; i++) pop.r[i] = src.rates[i] * g;
    }
  }

  private step(): void {
    const t = this.now;
    const dt = this.dt;
    // Only the first-order plasticity form needs last step's rates (for dr/dt).
    if (this.form === 'first_order') for (const pop of this.pops.values()) pop.rPrev.set(pop.r);
    this.sourceRates(t);
    // Phase 1: drive. Each receptor's mean input relaxes with its synaptic time constant (tau_m for delta
    // synapses, whose mean drive tau_m sum w r builds up like the membrane); spike-source spikes make it jump.
    for (const pop of this.pops.values()) {
      if (!pop.neuron) continue;
      pop.acc![0].fill(0);
      pop.acc![1].fill(0);
      pop.var!.fill(0);
    }
    for (const pop of this.pops.values()) {
      const src = pop.source;
      if (src && src.kind === 'spikes') advanceCursor(src, t + dt);
    }
    for (const pr of this.projections) {
      const to = pr.to;
      const tau = to.tauDrive![pr.receptor];
      const J = to.jScale![pr.receptor];
      const acc = to.acc![pr.receptor];
      const I = to.I![pr.receptor];
      const src = pr.from.source;
      if (src && src.kind === 'spikes') {
        for (let k = 0; k < pr.count; k++) {
          const ts = src.times[pr.pre[k]];
          for (let c = src.from[pr.pre[k]]; c < src.cursor[pr.pre[k]]; c++) I[pr.post[k]] += pr.weight[k] * Math.exp(-(t + dt - ts[c]) / tau);
        }
        continue;
      }
      const var_ = to.var!;
      const c = to.params!.tau_m_ms * J * J;
      const { pre, post, weight, count } = pr;
      const rFrom = pr.from.r;
      for (let k = 0; k < count; k++) {
        const r = rFrom[pre[k]];
        if (r === 0) continue;
        const w = weight[k];
        const j = post[k];
        acc[j] += w * r;
        var_[j] += c * w * w * r;
      }
    }
    for (const pop of this.pops.values()) {
      if (!pop.neuron) continue;
      for (let rc = 0; rc < 2; rc++) {
        const tau = pop.tauDrive![rc];
        const e = Math.exp(-dt / tau);
        const I = pop.I![rc];
        const acc = pop.acc![rc];
        for (let j = 0; j < pop.size; j++) I[j] = I[j] * e + (1 - e) * tau * acc[j];
      }
    }
    // Phase 2: rates relax toward the transfer function of (mu, sigma).
    for (const pop of this.pops.values()) {
      if (!pop.neuron) continue;
      const p = pop.params!;
      const vInf = p.v_rest_mv + p.i_bias_mv;
      const relax = 1 - Math.exp(-dt / (this.scenario.rate.tau_rate_ms ?? p.tau_m_ms));
      for (let j = 0; j < pop.size; j++) {
        const phi = pop.table!.rate(vInf + pop.I![0][j] + pop.I![1][j], Math.sqrt(pop.var![j]));
        pop.r[j] += (phi - pop.r[j]) * relax;
      }
    }
    // Phase 3: plasticity, the expectation of the spiking rule.
    for (const pr of this.projections) if (pr.plasticity) this.plasticity(pr, dt);
    this.now = t + dt;
    // Phase 4: record.
    if (this.now >= this.nextRecord - 1e-9) {
      this.recordTimes.push(this.now);
      for (const pop of this.pops.values()) {
        let s = 0;
        for (let i = 0; i < pop.size; i++) s += pop.r[i];
        this.recordRates.get(pop.name)!.push((s / pop.size) * 1e3);
      }
      this.nextRecord += this.recordEvery;
    }
  }

  private plasticity(pr: RateProjection, dt: number): void {
    const sp = pr.plasticity!;
    const k = sp.window === 'antisymmetric' ? -1 : 1;
    const rPre = pr.from.r, rPost = pr.to.r;
    const lo = sp.w_min_mv, hi = sp.w_max_mv, range = hi - lo;
    const mult = sp.weight_dependence === 'multiplicative';
    const apply = (w: number, d: number) => {
      if (mult) d *= (d > 0 ? hi - w : w - lo) / range;
      w += d;
      return w < lo ? lo : w > hi ? hi : w;
    };
    if (this.form === 'first_order') {
      const { m0, m1 } = windowMoments(sp);
      const prevPost = pr.to.rPrev;
      for (let s = 0; s < pr.count; s++) {
        const i = pr.pre[s], j = pr.post[s];
        const d = rPre[i] * (rPost[j] * m0 + ((rPost[j] - prevPost[j]) / dt) * m1) * dt;
        pr.weight[s] = apply(pr.weight[s], d);
      }
      return;
    }
    const x = pr.x!, y = pr.y!;
    const ex = Math.exp(-dt / sp.tau_plus_ms), ey = Math.exp(-dt / sp.tau_minus_ms);
    for (let s = 0; s < pr.count; s++) {
      const i = pr.pre[s], j = pr.post[s];
      const d = sp.sign * (sp.a_plus * rPost[j] * x[i] + k * sp.a_minus * rPre[i] * y[j]) * dt;
      if (d !== 0) pr.weight[s] = apply(pr.weight[s], d);
    }
    for (let i = 0; i < x.length; i++) x[i] = x[i] * ex + rPre[i] * sp.tau_plus_ms * (1 - ex);
    for (let j = 0; j < y.length; j++) y[j] = y[j] * ey + rPost[j] * sp.tau_minus_ms * (1 - ey);
  }
}
