/**
 * What the kernel does per simulated second of a built-in scenario: synaptic inputs and delivery groups, reschedules
 * by inputs, checks (due neurons looked at again) and spikes, crossing computations and exact solves. It counts by
 * wrapping the LIF group's and the population's methods, so it is slow; the counts, not the time, are the output.
 * docs/notebooks/kernel-rounds.md quotes them for CUBA (round 5: "Where the time goes now").
 *
 *     node scripts/ts.mjs scripts/perf/counts.ts [scenario=cuba] [duration_ms=2000] [--set path=value ...]
 */
import { probeNetwork } from './probe-network.js';
import { Population } from '../../src/neurons/population.js';

const { name, sc, net } = probeNetwork(process.argv.slice(2));
const count: Record<string, number> = {};
const add = (k: string, n = 1) => {
  count[k] = (count[k] ?? 0) + n;
};
// Wrap each method once per class (prototype), counting calls; inputMany also counts the reschedules it reports.
const wrap = (proto: Record<string, unknown>, methods: string[], prefix: string) => {
  for (const m of methods) {
    const f = proto[m] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof f !== 'function') continue;
    proto[m] = function (this: unknown, ...a: unknown[]) {
      add(prefix + m);
      const r = f.apply(this, a);
      if (m === 'inputMany' && prefix === 'group.') add('reschedules by inputs', r as number);
      return r;
    };
  }
};
const groups = new Set<object>();
for (const pop of net.populations.values()) groups.add(Object.getPrototypeOf(pop.group) as object);
for (const proto of groups) {
  wrap(proto as Record<string, unknown>, ['inputMany', 'input', 'predict', 'fire', 'crossingFrom', 'boundOrSolve',
    'polyCrossing', 'expSumCrossing'], 'group.');
}
wrap(Population.prototype as unknown as Record<string, unknown>, ['handleDue', 'emit'], 'population.');
net.start();
net.run(sc.duration_ms);
const perS = 1000 / sc.duration_ms;
console.log(`${name}, ${sc.duration_ms} ms simulated: per simulated second`);
console.log(`  ${'synaptic inputs'.padEnd(34)} ${Math.round(net.deliveredCount * perS)}`);
for (const [k, v] of Object.entries(count).sort()) console.log(`  ${k.padEnd(34)} ${Math.round(v * perS)}`);
console.log('  (group.inputMany: delivery groups; population.handleDue: checks, spikes included;');
console.log('   population.emit: spikes; group.polyCrossing / expSumCrossing: exact solves;');
console.log('   group.input: inputs to refractory neurons)');
