/** Test helpers: build and run small scenarios in memory. */
import { loadScenario } from '../src/scenario/load.js';
import { Network } from '../src/scenario/network.js';
import type { ScenarioInput } from '../src/scenario/schema.js';

export function runNet(sc: ScenarioInput): Network {
  const net = new Network(loadScenario(sc));
  net.run(net.scenario.duration_ms);
  return net;
}

export function spikeTimes(net: Network, pop: string, neuron = 0): number[] {
  const tr = net.spikes.get(pop)!.sorted();
  const out: number[] = [];
  for (let k = 0; k < tr.t.length; k++) if (tr.neuron[k] === neuron) out.push(tr.t[k]);
  return out;
}

/** A one-neuron LIF scenario driven by a spike source with the given times per receptor. */
export function oneNeuron(opts: {
  params: Record<string, number>;
  exc?: { times: number[]; w: number; delay?: number };
  inh?: { times: number[]; w: number; delay?: number };
  duration_ms: number;
  v0?: number;
}): ScenarioInput {
  const lists = [opts.exc?.times ?? [], opts.inh?.times ?? []];
  const projections: ScenarioInput['projections'] = [];
  if (opts.exc) projections.push({ name: 'e', from: 'src', to: 'n', receptor: 'exc', connect: { rule: 'pairs', pre: [0], post: [0] }, weight_mv: opts.exc.w, delay_ms: opts.exc.delay ?? 0 });
  if (opts.inh) projections.push({ name: 'i', from: 'src', to: 'n', receptor: 'inh', connect: { rule: 'pairs', pre: [1], post: [0] }, weight_mv: opts.inh.w, delay_ms: opts.inh.delay ?? 0 });
  return {
    name: 'test',
    seed: 1,
    duration_ms: opts.duration_ms,
    populations: [
      { name: 'src', model: 'spike_source', size: 2, params: { spike_times_ms: lists } },
      { name: 'n', model: 'lif', size: 1, params: opts.params, init: opts.v0 === undefined ? {} : { v_mv: opts.v0 } },
    ],
    projections,
  };
}
