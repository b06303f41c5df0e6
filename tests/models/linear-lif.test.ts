/**
 * The `linear` model kind against `lif`: the same LIF written as equations must give the same spikes within 1e-9 ms
 * on random input trains (exponential currents with distinct time constants, tau_syn = tau_m, voltage jumps,
 * bias above threshold, refractoriness), on both of its paths: lif's group, which a system in lif's form runs on
 * (src/neurons/linear/lif-form.ts, models/lif/as-linear.ts), and the general machinery (CHRONOPROP_LINEAR_GENERIC=1).
 * For the general path `lif` is the oracle: its closed form and crossing search are separate code (models/lif.ts,
 * src/math/exp-sum.ts) from the linear model's (src/math/linear-flow.ts, exp-poly.ts); an RK4 reference checks both.
 */
import { describe, expect, it } from 'vitest';
import { runNet, spikeTimes } from '../helpers.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { referenceSpikes, inputsFor, scenarioFor, type ReferenceModel } from './linear-reference.js';
import { generic, groupOf } from './linear-paths.js';
import { LifAsLinearGroup } from '../../models/lif/as-linear.js';
import { LinearGroup } from '../../src/neurons/linear/group.js';

type P = { tau_m_ms: number; v_rest_mv: number; v_reset_mv: number; v_th_mv: number; t_ref_ms: number; i_bias_mv: number; tau_syn_exc_ms: number; tau_syn_inh_ms: number };

/** The lif population, or the same neuron as equations (a receptor with tau 0 jumps v directly). */
function population(p: P, linear: boolean, size: number): NonNullable<ScenarioInput['populations']>[number] {
  if (!linear) return { name: 'n', model: 'lif', size, params: p };
  const eqs = ['dv/dt = (v_rest_mv - v + i_exc + i_inh + i_bias_mv) / tau_m_ms'];
  const receptors: Record<string, string> = {};
  const params: Record<string, number> = { v_rest_mv: p.v_rest_mv, i_bias_mv: p.i_bias_mv, tau_m_ms: p.tau_m_ms, v_th_mv: p.v_th_mv, v_reset_mv: p.v_reset_mv };
  for (const r of ['exc', 'inh'] as const) {
    const tau = r === 'exc' ? p.tau_syn_exc_ms : p.tau_syn_inh_ms;
    if (tau > 0) {
      eqs.push(`di_${r}/dt = -i_${r} / tau_syn_${r}_ms`);
      params[`tau_syn_${r}_ms`] = tau;
      receptors[r] = `i_${r}`;
    } else receptors[r] = 'v';
  }
  // A receptor with tau 0 has no current: the equation for v must not name it.
  eqs[0] = eqs[0].replace(/ \+ i_exc/, p.tau_syn_exc_ms > 0 ? ' + i_exc' : '').replace(/ \+ i_inh/, p.tau_syn_inh_ms > 0 ? ' + i_inh' : '');
  return {
    name: 'n', model: 'linear', size, equations: eqs, threshold: 'v >= v_th_mv', reset: ['v = v_reset_mv'],
    refractory_ms: p.t_ref_ms, receptors, params, init: { v: p.v_rest_mv },
  };
}

/** The LIF as a reference model (tau 0: the receptor jumps v). */
function referenceLif(p: P): ReferenceModel {
  const A = [[-1 / p.tau_m_ms, 1 / p.tau_m_ms, 1 / p.tau_m_ms], [0, -1 / (p.tau_syn_exc_ms || 1), 0], [0, 0, -1 / (p.tau_syn_inh_ms || 1)]];
  return {
    A, c: [(p.v_rest_mv + p.i_bias_mv) / p.tau_m_ms, 0, 0], th: 0, theta: p.v_th_mv,
    reset: (x) => (x[0] = p.v_reset_mv), refractoryMs: p.t_ref_ms,
    receptors: [p.tau_syn_exc_ms > 0 ? 1 : 0, p.tau_syn_inh_ms > 0 ? 2 : 0],
  };
}

const base: P = { tau_m_ms: 20, v_rest_mv: -70, v_reset_mv: -70, v_th_mv: -50, t_ref_ms: 2, i_bias_mv: 0, tau_syn_exc_ms: 5, tau_syn_inh_ms: 10 };
/*
 * 'irrational ratios, bias' once caught `lif` firing late (by 0.27 ms): its exp-sum search lost crossings to an
 * underflow at its horizon (src/math/exp-sum.ts, header). tests/models/lif-crossings.test.ts covers that regime.
 */
const cases: [string, Partial<P>][] = [
  ['CUBA time constants (5, 10 ms)', {}],
  ['irrational ratios, bias', { tau_m_ms: 17.3, tau_syn_exc_ms: 3.1, tau_syn_inh_ms: 7.7, i_bias_mv: 12 }],
  ['tau_syn = tau_m (t e^{-t/tau} terms)', { tau_syn_exc_ms: 20, tau_syn_inh_ms: 20 }],
  ['voltage jumps (tau_syn 0)', { tau_syn_exc_ms: 0, tau_syn_inh_ms: 0, v_reset_mv: -60 }],
  ['irrational ratios, no bias', { tau_m_ms: 17.3, tau_syn_exc_ms: 3.1, tau_syn_inh_ms: 7.7 }],
  ['CUBA ratios, bias 12', { i_bias_mv: 12 }],
  ['bias above threshold, reset -55', { i_bias_mv: 25, v_reset_mv: -55, t_ref_ms: 1 }],
];

describe('linear model from equations = lif, and both = an RK4 reference', () => {
  for (const [label, over] of cases) {
    it(`${label}: same spikes within 1e-9 ms, on lif's group and on the general machinery`, () => {
      const p = { ...base, ...over };
      const worst = { routed: { lif: 0, ref: 0 }, general: { lif: 0, ref: 0 } };
      let total = 0;
      for (const seed of [1, 2, 3]) {
        const inputs = inputsFor(seed, 300);
        const sa = spikeTimes(runNet(scenarioFor(population(p, false, 1), inputs, 300)), 'n');
        const sr = referenceSpikes(referenceLif(p), [p.v_rest_mv, 0, 0], inputs, 300);
        const routed = runNet(scenarioFor(population(p, true, 1), inputs, 300));
        const general = generic(() => runNet(scenarioFor(population(p, true, 1), inputs, 300)));
        expect(groupOf(routed)).toBeInstanceOf(LifAsLinearGroup);
        expect(groupOf(general)).toBeInstanceOf(LinearGroup);
        for (const [path, net] of [['routed', routed], ['general', general]] as const) {
          const sb = spikeTimes(net, 'n');
          expect(sb.length, `seed ${seed}, ${path}: lif ${sa.length} spikes, linear ${sb.length}`).toBe(sa.length);
          expect(sr.length, `seed ${seed}, ${path}: reference ${sr.length} spikes, linear ${sb.length}`).toBe(sb.length);
          for (let k = 0; k < sb.length; k++) {
            worst[path].lif = Math.max(worst[path].lif, Math.abs(sa[k] - sb[k]));
            worst[path].ref = Math.max(worst[path].ref, Math.abs(sr[k] - sb[k]));
          }
        }
        total += sa.length;
      }
      const e = (x: number) => x.toExponential(1);
      console.log(`${label}: ${total} spikes, |linear - lif| <= ${e(worst.routed.lif)} ms on lif's group, ${e(worst.general.lif)} ms general; |linear - RK4| <= ${e(worst.general.ref)} ms`);
      expect(total).toBeGreaterThan(15);
      for (const path of ['routed', 'general'] as const) {
        expect(worst[path].lif).toBeLessThan(1e-9);
        expect(worst[path].ref).toBeLessThan(1e-6);
      }
    });
  }
});
