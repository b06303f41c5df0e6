/**
 * The network a probe script studies (counts.ts, margin.ts): `[scenario=cuba] [duration_ms=2000] [--set path=value
 * ...]` from the command line, built with nothing recorded, not yet started.
 */
import { loadScenario } from '../../src/scenario/load.js';
import { Network } from '../../src/scenario/network.js';
import type { Scenario } from '../../src/scenario/schema.js';

export function probeNetwork(args: string[]): { name: string; sc: Scenario; net: Network } {
  const positional = args.filter((a, k) => !a.startsWith('--') && args[k - 1] !== '--set');
  const set = args.filter((_, k) => args[k - 1] === '--set');
  const [name = 'cuba', dur = '2000'] = positional;
  const sc = loadScenario(name, { set: [...set, `duration_ms=${dur}`] });
  sc.record = { spikes: [], state: [], weights: [] };
  return { name, sc, net: new Network(sc) };
}
