/**
 * Explores the spiking 4-2-4 recirculation learner on seeds of one's choosing (keep them apart from the scenario's,
 * 1001-1020): the scenario's spiking settings with overrides, one rule, at most N sweeps, checks every 20 sweeps.
 * Prints per seed the sweeps to success (null: not solved), the most patterns reconstructed at any check, and the
 * last test's visible group counts (rows: patterns; columns: groups).
 *
 *     node scripts/ts.mjs scripts/learning/recirculation-explore.ts '{"noise_mv":0.5}' 5001,5002 2000 gated:-1
 *     node scripts/ts.mjs scripts/learning/recirculation-explore.ts '{"noise_mv":1.5}' 5001 2000 ungated:-1
 *
 * This is how the scenario's noise level (0.5 mV) was chosen (docs/experiments/recirculation.md, fourth full run).
 */
import { recirculationSettings, spikingOptions } from '../../src/experiments/recirculation.js';
import { SpikingRecirculation, trainSpiking } from '../../src/experiments/recirculation-spiking.js';
import { encoderPatterns } from '../../src/learning/recirculation/rate.js';

const [overrides = '{}', seedList = '5001,5002', sweeps = '2000', ruleSpec = 'gated:-1'] = process.argv.slice(2);
const over = JSON.parse(overrides) as Record<string, unknown>;
const seeds = seedList.split(',').map(Number);
const [rule, sign] = ruleSpec.split(':');
if (!(rule === 'gated' || rule === 'ungated') || !(sign === '1' || sign === '-1')) {
  console.error(`error: the rule must be gated:-1, gated:1, ungated:-1 or ungated:1, got "${ruleSpec}"`);
  process.exit(2);
}
const st = recirculationSettings.parse({ spiking: { second_pass: 'replay', ...over } });
const o = spikingOptions(st, { rule, sign: sign === '1' ? 1 : -1 });
const patterns = encoderPatterns(4);
for (const seed of seeds) {
  const c0 = process.cpuUsage();
  const r = trainSpiking(new SpikingRecirculation(o, seed), patterns, seed, Number(sweeps), 20, 2);
  const cpu = (process.cpuUsage().user - c0.user) / 1e6;
  const best = Math.max(0, ...r.checks.map((c) => c.reconstructed));
  console.log(`${overrides} ${ruleSpec} seed ${seed}: sweeps ${r.sweeps}, best ${best} of 4, ${cpu.toFixed(0)} CPU s, last test ${JSON.stringify(r.lastTest)}`);
}
