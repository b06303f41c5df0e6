/**
 * Builds a runnable network from a validated scenario: populations and sources, projections (with plasticity),
 * recorders. Random streams are derived by name (`init/<pop>`, `param/<pop>/<parameter>`, `source/<pop>`,
 * `projection/<name>`), so adding a population or projection never changes what another one draws.
 */
import { Simulation, type EventReceiver } from '../kernel/simulation.js';
import { createRng, type Rng } from '../kernel/rng.js';
import { Population, type SpikeOutbox } from '../neurons/population.js';
import { SpikeEmitter } from '../neurons/emitter.js';
import { sourceKinds } from '../neurons/source-kinds.js';
import { receptorsOf } from '../neurons/model.js';
import { Projection } from '../synapses/projection.js';
import { connect } from '../synapses/connect.js';
import { attachPlasticity } from '../synapses/plasticity/index.js';
import { attachShortTerm } from '../synapses/short-term/index.js';
import type { PlasticRule } from '../synapses/plasticity/rule.js';
import { SpikeRecorder } from '../recording/spikes.js';
import { StateRecorder } from '../recording/state.js';
import { WeightRecorder } from '../recording/weights.js';
import { neuronModelFor } from '../../models/index.js';
import type { Scenario, ProjectionSpec, ListOrValueSpec } from './schema.js';
import { resolveNeuronParams } from './neuron-params.js';
import { draw } from './draw.js';
import { guardEventRate } from './runaway.js';
import type { StateReader, StateWriter } from '../kernel/state-io.js';
import type { SynapseList } from '../synapses/projection.js';
import { KEY_SPAN } from '../parallel/spike-list.js';

/**
 * One partition of a threaded run (windowed.ts): partition `index` of `count` simulates a contiguous block of
 * each population's neurons (ownedBlock) and holds only the synapses onto them; its populations hold their spikes in
 * `outbox`. Everything is drawn as for the whole network, so every partition has the same connectivity.
 */
export interface Partition {
  index: number;
  count: number;
  outbox: SpikeOutbox;
}

/** The neurons [from, to) of a population of `size` that partition `index` of `count` simulates. */
export function ownedBlock(size: number, index: number, count: number): { from: number; to: number } {
  return { from: Math.floor((size * index) / count), to: Math.floor((size * (index + 1)) / count) };
}

export class Network {
  readonly sim = new Simulation();
  readonly populations = new Map<string, Population>();
  readonly emitters = new Map<string, SpikeEmitter>();
  readonly projections = new Map<string, Projection>();
  readonly rules = new Map<string, PlasticRule>();
  readonly spikes = new Map<string, SpikeRecorder>();
  readonly state: StateRecorder[] = [];
  readonly weights: WeightRecorder[] = [];
  private started = false;

  constructor(readonly scenario: Scenario, readonly part?: Partition) {
    const { seed } = scenario;
    for (const p of scenario.populations) {
      const model = neuronModelFor(p);
      if (model) {
        const pop = new Population(this.sim, p.name, p.size, model, resolveNeuronParams(model, p.params, p.size, seed, p.name));
        const rng = createRng(seed, `init/${p.name}`);
        for (const [v, spec] of Object.entries(p.init)) {
          const col = pop.group.state[v];
          // A list gives each neuron its value and draws nothing.
          for (let i = 0; i < p.size; i++) col.set(i, Array.isArray(spec) ? spec[i] : draw(spec, rng));
        }
        if (part) {
          const { from, to } = ownedBlock(p.size, part.index, part.count);
          // The key orders simultaneous spikes by population (its rank among the neuron populations), then neuron.
          pop.partition(from, to, part.outbox, this.populations.size * KEY_SPAN);
        }
        this.populations.set(p.name, pop);
        this.emitters.set(p.name, pop);
      } else {
        const kind = sourceKinds[p.model];
        const params = kind.schema.parse(p.params) as Record<string, unknown>;
        this.emitters.set(p.name, kind.build(this.sim, p.name, p.size, params, createRng(seed, `source/${p.name}`)));
      }
    }
    for (const pr of scenario.projections) this.addProjection(pr);
    const rec = scenario.record;
    const recorded = rec.spikes === 'all' ? [...this.emitters.keys()] : rec.spikes;
    // A partition other than the first records nothing: partition 0 hears every spike (windowed.ts).
    if (!part || part.index === 0) for (const name of recorded) this.spikes.set(name, new SpikeRecorder(this.emitters.get(name)!));
    for (const s of rec.state) {
      const times = s.times_ms ? [...s.times_ms].sort((a, b) => a - b) : null;
      const every = s.every_ms ?? 0;
      const at = times ? (k: number) => (k < times.length ? times[k] : Infinity) : (k: number) => k * every;
      this.state.push(new StateRecorder(this.sim, this.populations.get(s.population)!, s.neurons, s.vars, at));
    }
    for (const w of rec.weights) {
      this.weights.push(new WeightRecorder(this.sim, this.projections.get(w.projection)!, w.every_ms));
    }
    guardEventRate(this, scenario.limits?.max_event_rate_hz);
  }

  /** Neurons in all populations and sources. */
  get neurons(): number {
    let n = 0;
    for (const e of this.emitters.values()) n += e.size;
    return n;
  }

  /** The population a receiver's events are charged to (runaway.ts): its own, or a projection's or recorder's target. */
  chargedTo(r: EventReceiver): SpikeEmitter | undefined {
    if (r instanceof SpikeEmitter) return r;
    if (r instanceof Projection) return r.target;
    if (r instanceof StateRecorder) return r.pop;
    if (r instanceof WeightRecorder) return r.projection.target;
    return undefined;
  }

  private addProjection(pr: ProjectionSpec): void {
    const rng = createRng(this.scenario.seed, `projection/${pr.name}`);
    const from = this.emitters.get(pr.from)!;
    const to = this.populations.get(pr.to)!;
    const edges = connect(pr.connect, from.size, to.size, pr.from === pr.to, rng);
    // A number draws nothing from rng (draw() returns it), so it is passed once, for every synapse (SynapseList).
    // A list (connect rule pairs, validate.ts checks its length) gives each synapse its value and draws nothing.
    const perSynapse = (spec: ListOrValueSpec, min?: number) => {
      if (typeof spec === 'number') return Float64Array.of(spec);
      if (Array.isArray(spec)) return Float64Array.from(spec);
      const a = new Float64Array(edges.count);
      for (let k = 0; k < edges.count; k++) a[k] = draw(spec, rng, min);
      return a;
    };
    const weight = perSynapse(pr.weight_mv);
    const delay = perSynapse(pr.delay_ms, 0);
    if (pr.plasticity) {
      const { w_min_mv: lo, w_max_mv: hi } = pr.plasticity;
      for (let k = 0; k < weight.length; k++) weight[k] = Math.min(hi, Math.max(lo, weight[k]));
    }
    const syn = { pre: edges.pre, post: edges.post, weight, delay, count: edges.count };
    const proj = new Projection(this.sim, pr.name, from, to, receptorsOf(to.model).indexOf(pr.receptor), this.part ? ownSynapses(syn, to) : syn);
    this.projections.set(pr.name, proj);
    if (pr.plasticity) this.rules.set(pr.name, attachPlasticity(proj, pr.plasticity));
    if (pr.short_term) attachShortTerm(proj, pr.short_term);
  }

  /** Queues every neuron's first crossing, every source's first spike and every recorder's first sample. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const e of this.emitters.values()) e.start(0);
    for (const r of this.state) r.start();
    for (const r of this.weights) r.start();
  }

  /**
   * The whole run's state between two runs (checkpoints, scenario/checkpoint.ts): the kernel and its queue, every
   * emitter (neuron state, queues, sources' generators), every projection's weights, plasticity and short-term
   * state, and every recorder's samples so far. What the constructor derives from the scenario (connectivity,
   * parameters, initial draws) is not in it: loadState goes into a network built from the same scenario.
   */
  saveState(w: StateWriter): void {
    this.sim.saveState(w.scope('kernel'));
    const em = w.scope('emitters');
    for (const [name, e] of this.emitters) e.saveState(em.scope(name));
    const pr = w.scope('projections');
    for (const [name, p] of this.projections) {
      const s = pr.scope(name);
      p.saveState(s);
      this.rules.get(name)?.saveState(s.scope('plasticity'));
      p.shortTerm?.saveState(s.scope('short_term'));
    }
    const rec = w.scope('recorders');
    for (const [name, r] of this.spikes) r.saveState(rec.scope(`spikes:${name}`));
    this.state.forEach((r, k) => r.saveState(rec.scope(`state${k}`)));
    this.weights.forEach((r, k) => r.saveState(rec.scope(`weights${k}`)));
  }

  /** Replaces all of the above (a network already started, as a learner starts its own, is overwritten whole). */
  loadState(r: StateReader): void {
    this.started = true;
    this.sim.loadState(r.scope('kernel'));
    const em = r.scope('emitters');
    for (const [name, e] of this.emitters) e.loadState(em.scope(name));
    const pr = r.scope('projections');
    for (const [name, p] of this.projections) {
      const s = pr.scope(name);
      p.loadState(s);
      this.rules.get(name)?.loadState(s.scope('plasticity'));
      p.shortTerm?.loadState(s.scope('short_term'));
    }
    const rec = r.scope('recorders');
    for (const [name, sr] of this.spikes) sr.loadState(rec.scope(`spikes:${name}`));
    this.state.forEach((sr, k) => sr.loadState(rec.scope(`state${k}`)));
    this.weights.forEach((wr, k) => wr.loadState(rec.scope(`weights${k}`)));
  }

  /** Populations whose model cannot be checkpointed (none of the built-in models). */
  get uncheckpointable(): string[] {
    return [...this.populations.values()].filter((p) => !p.checkpointable).map((p) => `${p.name} (model ${p.model.name})`);
  }

  /** Runs [now, tEnd). */
  run(tEnd: number, onChunk?: (now: number) => void): void {
    this.start();
    this.sim.runUntil(tEnd, onChunk);
  }

  get spikeCount(): number {
    let n = 0;
    for (const e of this.emitters.values()) n += e.spikeCount;
    return n;
  }

  get deliveredCount(): number {
    let n = 0;
    for (const p of this.projections.values()) n += p.delivered;
    return n;
  }
}

/** The synapses onto the neurons the target population simulates (a partition's share: Partition), in their order. */
function ownSynapses(syn: SynapseList, to: Population): SynapseList {
  const from = to.ownedFrom;
  const end = to.ownedTo;
  let n = 0;
  for (let k = 0; k < syn.count; k++) if (syn.post[k] >= from && syn.post[k] < end) n++;
  const pre = new Int32Array(n);
  const post = new Int32Array(n);
  const weight = syn.weight.length === 1 ? syn.weight : new Float64Array(n);
  const delay = syn.delay.length === 1 ? syn.delay : new Float64Array(n);
  let m = 0;
  for (let k = 0; k < syn.count; k++) {
    if (!(syn.post[k] >= from && syn.post[k] < end)) continue;
    pre[m] = syn.pre[k];
    post[m] = syn.post[k];
    if (weight !== syn.weight) weight[m] = syn.weight[k];
    if (delay !== syn.delay) delay[m] = syn.delay[k];
    m++;
  }
  return { pre, post, weight, delay, count: n };
}
