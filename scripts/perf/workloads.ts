/**
 * The benchmark workloads: a built-in scenario, a duration and `--set` overrides. Shared by `npm run bench`
 * (scripts/bench.ts) and the Brian2 comparison (scripts/peer-compare.ts), so both measure the same networks.
 * `quick: false` marks the long ones that `--quick` skips.
 */
import { ScenarioError } from '../../src/scenario/errors.js';
import { GENERIC_ENV } from '../../models/linear.js';

export interface Workload {
  name: string;
  scenario: string;
  duration_ms: number;
  set: string[];
  quick: boolean;
  /** Environment variables set in the workload's process before its network is built. */
  env?: Record<string, string>;
  /** A workload this one is compared with: the table of ratios gives its simulate CPU time over that one's. */
  baseline?: string;
  /**
   * Run as `chronoprop run --threads N` does (scenario/threads.ts): N partitions on N threads. Its ratio against
   * its baseline is then one of simulate wall time (a speed-up shows as a ratio under 1), not CPU time.
   */
  threads?: number;
}

/**
 * `--set` overrides that turn a CUBA population's `lif` into the same LIF written as `linear` equations: its state
 * variables keep lif's names (so its `init` applies as it stands) and its parameters' values.
 */
function lifAsEquations(pop: string): string[] {
  const params = { tau_m_ms: 20, v_rest_mv: -49, v_reset_mv: -60, v_th_mv: -50, tau_syn_exc_ms: 5, tau_syn_inh_ms: 10 };
  return [
    `populations.${pop}.model="linear"`,
    `populations.${pop}.equations=${JSON.stringify([
      'dv_mv/dt = (v_rest_mv - v_mv + i_exc_mv + i_inh_mv) / tau_m_ms',
      'di_exc_mv/dt = -i_exc_mv / tau_syn_exc_ms',
      'di_inh_mv/dt = -i_inh_mv / tau_syn_inh_ms',
    ])}`,
    `populations.${pop}.threshold="v_mv > v_th_mv"`,
    `populations.${pop}.reset=["v_mv = v_reset_mv"]`,
    `populations.${pop}.refractory_ms=5`,
    `populations.${pop}.receptors=${JSON.stringify({ exc: 'i_exc_mv', inh: 'i_inh_mv' })}`,
    `populations.${pop}.params=${JSON.stringify(params)}`,
  ];
}

/** `--set` overrides that give every projection of the scaling scenarios a delay of 1 ms (theirs are 0). */
const DELAY_1MS = ['ee', 'ei', 'ie', 'ii'].map((p) => `projections.${p}.delay_ms=1`);

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
  // cuba-1s with its LIF written as `linear` equations: in lif's form, so it runs on lif's group (docs/models.md);
  // and the same forced onto the general linear machinery.
  { name: 'cuba-linear-1s', scenario: 'cuba', duration_ms: 1000, set: [...lifAsEquations('exc'), ...lifAsEquations('inh')], quick: true, baseline: 'cuba-1s' },
  {
    name: 'cuba-linear-generic-1s', scenario: 'cuba', duration_ms: 1000, set: [...lifAsEquations('exc'), ...lifAsEquations('inh')], quick: true,
    env: { [GENERIC_ENV]: '1' }, baseline: 'cuba-1s',
  },
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
  // One network on several threads: scaling-64k with 1 ms delays (windows of 1 ms), in one partition (the windowed
  // protocol, against the classic loop on the same network) and in two on two threads (its speed-up, in wall time).
  { name: 'scaling-64k-d1', scenario: 'scaling', duration_ms: 1000, set: [...sized(64000), ...DELAY_1MS], quick: true },
  { name: 'scaling-64k-d1-t1', scenario: 'scaling', duration_ms: 1000, set: [...sized(64000), ...DELAY_1MS], quick: true, threads: 1, baseline: 'scaling-64k-d1' },
  { name: 'scaling-64k-d1-t2', scenario: 'scaling', duration_ms: 1000, set: [...sized(64000), ...DELAY_1MS], quick: true, threads: 2, baseline: 'scaling-64k-d1-t1' },
  // The same with pair STDP on ee.
  { name: 'scaling-stdp-64k-d1', scenario: 'scaling-stdp', duration_ms: 1000, set: [...sized(64000), ...DELAY_1MS], quick: true },
  {
    name: 'scaling-stdp-64k-d1-t1', scenario: 'scaling-stdp', duration_ms: 1000, set: [...sized(64000), ...DELAY_1MS], quick: true, threads: 1,
    baseline: 'scaling-stdp-64k-d1',
  },
  {
    name: 'scaling-stdp-64k-d1-t2', scenario: 'scaling-stdp', duration_ms: 1000, set: [...sized(64000), ...DELAY_1MS], quick: true, threads: 2,
    baseline: 'scaling-stdp-64k-d1-t1',
  },
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
