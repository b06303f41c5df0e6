/**
 * Spike sources: populations that emit spikes and receive none.
 *
 * - PoissonSource: neuron i fires as an inhomogeneous Poisson process of rate rates_hz[i] * g(t), where g is an
 *   optional piecewise-linear profile (held constant outside its knots). Inhomogeneous rates are drawn by thinning
 *   (Lewis & Shedler 1979): candidates at the bound rate, each kept with probability rate(t) / bound. Firing is
 *   confined to [start_ms, stop_ms). `setRates` switches the rates at a given time (e.g. a new image); Poisson
 *   processes are memoryless, so redrawing every neuron's next spike from that time is exact.
 * - SpikeSource: neuron i fires at the listed times; one kernel event for the whole source (see the class).
 * A Poisson source queues one event per neuron at a time, stamped with a version so a rate switch can supersede it.
 */
import type { Simulation, EventReceiver } from '../kernel/simulation.js';
import { Phase } from '../kernel/event-queue.js';
import type { Rng } from '../kernel/rng.js';
import { SpikeEmitter } from './emitter.js';
import { mergeTrains, type SpikeStream } from './spike-stream.js';
import type { StateReader, StateWriter } from '../kernel/state-io.js';

export interface RateProfile {
  times_ms: number[];
  gain: number[];
}

export interface PoissonOptions {
  rates_hz: Float64Array;
  profile?: RateProfile;
  start_ms?: number;
  stop_ms?: number;
}

export class PoissonSource extends SpikeEmitter implements EventReceiver {
  override readonly actsAtOnce = true;
  readonly rates: Float64Array;
  private readonly version: Int32Array;
  private readonly targetId: number;
  private readonly startMs: number;
  private readonly stop: number;
  private readonly profile?: RateProfile;
  private readonly gainMax: number;

  constructor(private readonly sim: Simulation, name: string, size: number, private rng: Rng, o: PoissonOptions) {
    super(name, size);
    this.rates = Float64Array.from(o.rates_hz);
    this.version = new Int32Array(size);
    this.startMs = o.start_ms ?? 0;
    this.stop = o.stop_ms ?? Infinity;
    this.profile = o.profile;
    this.gainMax = o.profile ? Math.max(0, ...o.profile.gain) : 1;
    this.targetId = sim.register(this);
  }

  /** Profile gain at t. */
  gain(t: number): number {
    const p = this.profile;
    return p ? piecewiseLinear(p.times_ms, p.gain, t) : 1;
  }

  start(t: number): void {
    for (let i = 0; i < this.size; i++) this.next(i, Math.max(t, this.startMs));
  }

  /**
   * Draws from `rng` from now on (spikes already queued stay; setRates redraws them). A learner gives each block of
   * independent trials its own stream this way, so that a block's spikes do not depend on what ran before it.
   */
  useStream(rng: Rng): void {
    this.rng = rng;
  }

  /** Rates, version stamps, the generator's state and the spike count (checkpoints). */
  saveState(w: StateWriter): void {
    w.array('rates', this.rates);
    w.array('version', this.version);
    w.json('rng', this.rng.state());
    w.num('spikeCount', this.spikeCount);
  }

  /** Continues the stream in use when saved (a learner that switched streams, useStream, switches before loading). */
  loadState(r: StateReader): void {
    r.into('rates', this.rates);
    r.into('version', this.version);
    this.rng.setState(r.json('rng'));
    this.spikeCount = r.num('spikeCount');
  }

  /** Sets new rates (Hz) from time t on; pending spikes are redrawn. */
  setRates(rates: ArrayLike<number>, t: number): void {
    for (let i = 0; i < this.size; i++) {
      this.rates[i] = rates[i];
      this.version[i]++;
      this.next(i, Math.max(t, this.startMs));
    }
  }

  handleEvent(t: number, i: number, version: number): void {
    if (version !== this.version[i]) return;
    const fires = this.profile === undefined || this.rng.uniform() * this.gainMax < this.gain(t);
    // The next spike is drawn and queued first (the same draws in the same order: emit draws nothing from this
    // rng), so that what listeners queue at once inside emit comes after it, as it did from their own events
    // (actsAtOnce).
    this.next(i, t);
    if (fires) this.emit(i, t);
  }

  /** Queues neuron i's next candidate spike after t (none if its bound rate is 0 or it falls past stop). */
  private next(i: number, t: number): void {
    const bound = this.rates[i] * this.gainMax * 1e-3; // per ms
    if (!(bound > 0)) return;
    const tn = t + this.rng.exponential(1 / bound);
    if (tn < this.stop) this.sim.schedule(tn, Phase.SPIKE, this.targetId, i, this.version[i]);
  }
}

/**
 * Neuron i fires at its listed times. The trains are merged once, at start, into one stream in the kernel's order
 * (spike-stream.ts), of which only the head is queued: one kernel event at a time for the whole source, instead of
 * one per neuron. Each neuron's next spike still takes its insertion number when the neuron's previous spike is
 * handled, as it did when it was queued then (Simulation.reserve), so that ties with every other event pop as before.
 */
export class SpikeSource extends SpikeEmitter implements EventReceiver {
  override readonly actsAtOnce = true;
  /** The trains, each sorted; null once the stream holds every spike (they are rebuilt from it if ever needed). */
  private times: Float64Array[] | null;
  private readonly total: number;
  /** Spikes still to come per neuron, the queued one included. */
  private readonly left: Int32Array;
  /** The insertion number of each neuron's next spike (valid while left > 0). */
  private readonly seq: Float64Array;
  private readonly targetId: number;
  /** The stream from startMs on, and the position of its head (the spike queued in the kernel). */
  private stream: SpikeStream = { t: new Float64Array(0), neuron: new Int32Array(0) };
  private startMs = NaN;
  private pos = 0;

  constructor(private readonly sim: Simulation, name: string, spikeTimesMs: number[][]) {
    super(name, spikeTimesMs.length);
    this.times = spikeTimesMs.map((ts) => Float64Array.from(ts).sort());
    this.total = this.times.reduce((n, ts) => n + ts.length, 0);
    this.left = new Int32Array(this.size);
    this.seq = new Float64Array(this.size);
    this.targetId = sim.register(this);
  }

  start(t: number): void {
    this.mergeFrom(t);
    this.pos = 0;
    const { t: st, neuron } = this.stream;
    this.left.fill(0);
    for (let p = 0; p < neuron.length; p++) this.left[neuron[p]]++;
    for (let i = 0; i < this.size; i++) if (this.left[i] > 0) this.seq[i] = this.sim.reserve();
    if (st.length > 0) this.sim.scheduleReserved(st[0], Phase.SPIKE, this.seq[neuron[0]], this.targetId, neuron[0], 0);
  }

  /** The start time, the head's position, and per neuron the spikes left and the next one's insertion number. */
  saveState(w: StateWriter): void {
    w.num('startMs', this.startMs);
    w.num('pos', this.pos);
    w.array('left', this.left);
    w.array('seq', this.seq);
    w.num('spikeCount', this.spikeCount);
  }

  /** The queued head is the kernel's (its queue is loaded with it). */
  loadState(r: StateReader): void {
    const t0 = r.num('startMs');
    if (!Number.isNaN(t0)) this.mergeFrom(t0);
    this.pos = r.num('pos');
    r.into('left', this.left);
    r.into('seq', this.seq);
    this.spikeCount = r.num('spikeCount');
  }

  /**
   * Emits the head, then the stream's next spikes for as long as each comes before everything queued in the queue's
   * (time, phase, insertion) order (Simulation.claimNextReserved: the queue would pop it next anyway); the first
   * that does not is queued as the new head.
   * A neuron's next insertion number is taken before its spike is emitted, so that what listeners queue at once
   * inside emit comes after it, as it did from their own events (actsAtOnce).
   */
  handleEvent(t: number): void {
    const { neuron, t: st } = this.stream;
    const { sim, left, seq } = this;
    let p = this.pos;
    for (let tp = t; ; ) {
      const i = neuron[p];
      if (--left[i] > 0) seq[i] = sim.reserve();
      this.pos = ++p;
      this.emit(i, tp);
      if (p >= st.length) return;
      tp = st[p];
      const j = neuron[p];
      if (!sim.claimNextReserved(tp, Phase.SPIKE, seq[j])) {
        sim.scheduleReserved(tp, Phase.SPIKE, seq[j], this.targetId, j, 0);
        return;
      }
    }
  }

  /** Merges the trains from t0 on (once per start time); keeps them apart only if the stream lacks some spikes. */
  private mergeFrom(t0: number): void {
    if (t0 === this.startMs) return;
    const times = this.times ?? this.trainsFromStream();
    this.stream = mergeTrains(times, t0);
    this.startMs = t0;
    this.times = this.stream.t.length === this.total ? null : times;
  }

  /** Each neuron's train, read back from a stream that holds every spike (a neuron's spikes come in time order). */
  private trainsFromStream(): Float64Array[] {
    const { t, neuron } = this.stream;
    const count = new Int32Array(this.size);
    for (let p = 0; p < neuron.length; p++) count[neuron[p]]++;
    const times = Array.from(count, (c) => new Float64Array(c));
    count.fill(0);
    for (let p = 0; p < neuron.length; p++) times[neuron[p]][count[neuron[p]]++] = t[p];
    return times;
  }
}

/** Piecewise-linear interpolation through (times[k], values[k]), constant outside the knots, clipped at 0. */
export function piecewiseLinear(times: number[], values: number[], t: number): number {
  const n = times.length;
  if (t <= times[0]) return Math.max(0, values[0]);
  if (t >= times[n - 1]) return Math.max(0, values[n - 1]);
  let k = 1;
  while (times[k] < t) k++;
  const f = (t - times[k - 1]) / (times[k] - times[k - 1]);
  return Math.max(0, values[k - 1] + f * (values[k] - values[k - 1]));
}
