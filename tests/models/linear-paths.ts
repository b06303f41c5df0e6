/**
 * The two paths of a `linear` model in tests: `generic` runs f with CHRONOPROP_LINEAR_GENERIC=1 (every linear
 * population on the general machinery, also where its system has lif's form), `groupOf` is the group a population
 * got (LifAsLinearGroup on lif's path, LinearGroup on the general one).
 */
import { GENERIC_ENV } from '../../models/linear.js';
import type { Network } from '../../src/scenario/network.js';
import type { NeuronGroup } from '../../src/neurons/model.js';

export function generic<T>(f: () => T): T {
  const before = process.env[GENERIC_ENV];
  process.env[GENERIC_ENV] = '1';
  try {
    return f();
  } finally {
    if (before === undefined) delete process.env[GENERIC_ENV];
    else process.env[GENERIC_ENV] = before;
  }
}

export function groupOf(net: Network, pop = 'n'): NeuronGroup {
  return net.populations.get(pop)!.group;
}
