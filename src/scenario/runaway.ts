/**
 * The runaway limit: a network whose events come faster than `limits.max_event_rate_hz` per neuron per second of
 * simulated time (all neurons, sources included, together) stops with one line naming the population that drew
 * the most events and its rate, instead of running for hours or until memory runs out.
 *
 *     limit (events per ms) = max_event_rate_hz / 1000 x (neurons in all populations and sources)
 *     window                = at least max(2^16, 100 x neurons) events (Simulation.limitEventRate)
 *
 * Events are what the kernel handles: spikes, threshold checks (a model looking at a neuron again), deliveries of
 * a spike to a projection's delay group, recorder samples; a population is charged with its own events and with
 * the deliveries it receives. CUBA runs at about 2,500 events per neuron per second; the default, 10^6, is 400
 * times that, and a window must hold 100 events per neuron, so a synchronous volley of the whole network (a few
 * events per neuron) cannot trip it. A zero-delay loop (simulated time standing still) trips it within a window.
 * The rate is in simulated time, so whether a run trips it does not depend on the machine.
 */
import type { Simulation, EventReceiver, RateExceeded } from '../kernel/simulation.js';
import { ScenarioError } from './errors.js';

/** The default limit: events per neuron per second of simulated time. */
export const DEFAULT_MAX_EVENT_RATE_HZ = 1e6;
/** A window holds at least this many events per neuron, and at least MIN_WINDOW_EVENTS. */
export const WINDOW_EVENTS_PER_NEURON = 100;
export const MIN_WINDOW_EVENTS = 1 << 16;

/** What the guard needs of a network: its simulation and who each receiver is charged to (a population's name, its size). */
export interface RateGuarded {
  sim: Simulation;
  /** The population each receiver's events are charged to. */
  chargedTo(receiver: EventReceiver): { name: string; size: number } | undefined;
  /** Neurons in all populations and sources. */
  neurons: number;
}

const sci = (x: number) => (x < 1e4 ? String(Math.round(x)) : x.toExponential(2).replace('e+', 'e'));

/** The one-line error for a window over the limit, naming the population that drew the most events. */
export function runawayError(net: RateGuarded, e: RateExceeded, limitHz: number): ScenarioError {
  const byPop = new Map<string, { size: number; events: number }>();
  e.counts.forEach((n, target) => {
    if (n === 0) return;
    const who = net.chargedTo(net.sim.receiver(target));
    if (!who) return;
    const cur = byPop.get(who.name) ?? { size: who.size, events: 0 };
    cur.events += n;
    byPop.set(who.name, cur);
  });
  const seconds = (e.toMs - e.fromMs) / 1e3;
  let top = { name: '?', size: 1, events: 0 };
  for (const [name, v] of byPop) if (v.events / v.size > top.events / top.size) top = { name, ...v };
  const what = 'spikes, threshold checks and inputs';
  // Times with the digits it takes to tell them apart.
  const [from, to] = [6, 10, 17].map((d) => [e.fromMs, e.toMs].map((x) => String(Number(x.toPrecision(d))))).find(([a, b]) => a !== b) ?? [String(e.fromMs), String(e.toMs)];
  const found =
    seconds > 0
      ? `drew ${sci(top.events / top.size / seconds)} events per neuron per second of simulated time (${sci(top.events)} ${what} between t = ${from} and ${to} ms)`
      : `drew ${sci(top.events)} events (${what}) all at t = ${e.toMs} ms, simulated time standing still`;
  return new ScenarioError([
    `runaway activity: population ${top.name} ${found}, over limits.max_event_rate_hz = ${limitHz}; ` +
      'look for a loop of strong or zero-delay excitation, or raise the limit in the scenario',
  ]);
}

/** Installs the limit on the network's simulation. */
export function guardEventRate(net: RateGuarded, limitHz = DEFAULT_MAX_EVENT_RATE_HZ): void {
  const neurons = Math.max(1, net.neurons);
  net.sim.limitEventRate((limitHz / 1e3) * neurons, Math.max(MIN_WINDOW_EVENTS, WINDOW_EVENTS_PER_NEURON * neurons), (e) => {
    throw runawayError(net, e, limitHz);
  });
}
