/**
 * The benchmark workloads: a built-in scenario, a duration and `--set` overrides. Shared by `npm run bench`
 * (scripts/bench.ts) and the Brian2 comparison (scripts/peer-compare.ts), so both measure the same networks.
 * `quick: false` marks the long ones that `--quick` skips.
 */
import { ScenarioError } from '../../src/scenario/errors.js';

export interface Workload {
  name: string;
  scenario: string;
  duration_ms: number;
  set: string[];
  quick: boolean;
}

/** `--set` overrides for the scaling scenarios at N neurons (4:1 excitatory to inhibitory). */
function sized(n: number): string[] {
  return [`populations.exc.size=${(n * 4) / 5}`, `populations.inh.size=${n / 5}`];
}

const SCALING_N: ReadonlyArray<[string, number]> = [
  ['4k', 4000],
  ['16k', 16000],
  ['64k', 64000],
  ['256k', 256000],
];

export const workloads: readonly Workload[] = [
  { name: 'cuba-1s', scenario: 'cuba', duration_ms: 1000, set: [], quick: true },
  { name: 'cuba-10s', scenario: 'cuba', duration_ms: 10000, set: [], quick: false },
  { name: 'brette-b4-5s', scenario: 'brette-b4', duration_ms: 5000, set: [], quick: true },
  { name: 'cuba-stdp-1s', scenario: 'cuba-stdp', duration_ms: 1000, set: [], quick: true },
  ...(['scaling', 'scaling-stdp'] as const).flatMap((scenario) =>
    SCALING_N.map(([label, n]) => ({
      name: `${scenario}-${label}`,
      scenario,
      duration_ms: 1000,
      set: sized(n),
      quick: n <= 64000,
    })),
  ),
];

/**
 * The workloads to run: `only` names (exact, or a prefix ending in `*`, e.g. `scaling-*`) in suite order;
 * otherwise all, or the quick ones. An unknown name is bad input.
 */
export function selectWorkloads(opts: { only?: string[]; quick?: boolean }): Workload[] {
  const only = (opts.only ?? []).flatMap((s) => s.split(',')).filter((s) => s !== '');
  if (only.length === 0) return workloads.filter((w) => !opts.quick || w.quick);
  const match = (w: Workload, pat: string) => (pat.endsWith('*') ? w.name.startsWith(pat.slice(0, -1)) : w.name === pat);
  for (const pat of only) {
    if (!workloads.some((w) => match(w, pat))) {
      throw new ScenarioError([`--only must name workloads (${workloads.map((w) => w.name).join(', ')}), got "${pat}"`]);
    }
  }
  return workloads.filter((w) => only.some((pat) => match(w, pat)) && (!opts.quick || w.quick));
}

export function findWorkload(name: string): Workload {
  const w = workloads.find((x) => x.name === name);
  if (!w) throw new ScenarioError([`workload must be one of ${workloads.map((x) => x.name).join(', ')}, got "${name}"`]);
  return w;
}
