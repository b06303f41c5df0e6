/**
 * Does the literal claim (an ungated antisymmetric STDP window with sign -1 across the transition between the two
 * passes) come closer to the rate recirculation rule as each unit's group of LIF neurons grows? The mechanism section
 * of docs/experiments/recirculation.md predicts so: the reversed causal term of a synapse (each presynaptic spike
 * pairing with the postsynaptic spikes it helps cause) scales with the synapse's weight, the transition's derivative
 * term does not; keeping each unit's drive fixed while a group grows from K = 4 to K neurons divides every weight
 * between groups by K / 4, and so the causal term against the derivative term.
 *
 * For each K: the built-in scenario's spiking settings (scenarios/recirculation.json) with units_per_group = K and
 * init_vh_mv, init_hv_mv, a_bottom_up, a_top_down and w_bound_mv times 4 / K; the first update (the mean over
 * `trials` presentations of pattern 0 from the initial weights of `seed`) and its cosine with the rate rule's update
 * (recirculation-first-update.ts), per rule; and the bottom-up update's cosine with `v2 h1 - v0 h3`, what an
 * antisymmetric window makes of a step between the passes.
 * Exploration seeds only (the scenario's are 1001-1020); no learning, no test split involved.
 *
 *     node scripts/ts.mjs scripts/learning/recirculation-population.ts 4,16,64 5001 100 ungated:-1,ungated:1,gated:-1
 */
import { recirculationSettings, spikingOptions } from '../../src/experiments/recirculation.js';
import { firstUpdate } from '../../src/experiments/recirculation-first-update.js';
import { encoderPatterns } from '../../src/learning/recirculation/rate.js';
import { loadScenario } from '../../src/scenario/load.js';
import { SpikingRecirculation } from '../../src/experiments/recirculation-spiking.js';
import { cosine } from '../../src/math/vector-stats.js';

const [ks = '4,16,64', seedArg = '5001', trialArg = '100', rulesArg = 'ungated:-1,ungated:1,gated:-1'] = process.argv.slice(2);
const scenario = recirculationSettings.parse(loadScenario('recirculation').settings);
const base = scenario.spiking;
const pattern = encoderPatterns(4)[0];
for (const K of ks.split(',').map(Number)) {
  const f = 4 / K;
  const st = recirculationSettings.parse({
    ...scenario,
    spiking: {
      ...base,
      units_per_group: K,
      init_vh_mv: base.init_vh_mv * f,
      init_hv_mv: base.init_hv_mv * f,
      a_bottom_up: base.a_bottom_up * f,
      a_top_down: base.a_top_down * f,
      w_bound_mv: base.w_bound_mv * f,
    },
  });
  for (const spec of rulesArg.split(',')) {
    const [rule, sign] = spec.split(':') as ['gated' | 'ungated', string];
    const o = spikingOptions(st, { rule, sign: sign === '1' ? 1 : -1 });
    const c0 = process.cpuUsage();
    const u = firstUpdate(o, Number(seedArg), pattern, Number(trialArg));
    const used = process.cpuUsage(c0);
    const cpu = (used.user + used.system) / 1e6;
    const r3 = (x: number) => x.toFixed(3);
    // The bottom-up update an antisymmetric window makes of a step between the passes, from the same mean rates:
    // pairs straddling the transition give v2 h1 - v0 h3 (pre after and post before, minus pre before and post
    // after), against the rate rule's v2 (h1 - h3).
    const p = new SpikingRecirculation(o, Number(seedArg)).proj.vis_hid;
    const pre = p.synapsePre();
    const { v0, h1, v2, h3 } = u.rates;
    const step = Array.from({ length: p.count }, (_, s) => v2[pre[s]] * h1[p.post[s]] - v0[pre[s]] * h3[p.post[s]]);
    const stepCos = cosine(u.spiking.slice(0, p.count), step);
    console.log(
      `K ${K} ${spec} seed ${seedArg}: cosine all ${r3(u.cosine_all)}, bottom-up ${r3(u.cosine_bottom_up)}, top-down ${r3(u.cosine_top_down)}; ` +
        `bottom-up against v2 h1 - v0 h3 ${r3(stepCos)} (${u.trials} trials, ${cpu.toFixed(0)} CPU s)`,
    );
  }
}
