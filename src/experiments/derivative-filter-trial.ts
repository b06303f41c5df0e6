/**
 * The derivative-filter trial: its settings (zod schema, defaults) and geometry. Kept free of heavy imports: worker
 * threads load it with every chunk. See derivative-filter.ts for the experiment.
 */
import { z } from 'zod';
import { count, integer, nonNegative, positive } from '../schema-fields.js';
import type { RampTrial } from '../analysis/window-integrals.js';

const pos = positive;
const nonNeg = nonNegative;
const int = (d: number) => count.default(d);

export const derivativeSettings = z.strictObject({
  variant: z.enum(['poisson', 'lif']).default('poisson'),
  design: z.union([z.literal(1), z.literal(2)]).default(1),
  slopes_hz_per_s: z.array(z.number()).min(2).default([-40, -30, -20, -10, 0, 10, 20, 30, 40]),
  // At least two: every point reports the standard error of the mean change over its trials.
  trials: integer.gte(2, { message: 'must be >= 2' }).default(2000),
  chunk_trials: int(250),
  r_pre_hz: pos.default(20),
  r_post_hz: pos.default(30),
  t0_ms: nonNeg.default(300),
  t1_ms: pos.default(1300),
  margin_ms: nonNeg.default(200),
  a_plus: nonNeg.default(0.001),
  a_minus: nonNeg.default(0.001),
  tau_plus_ms: pos.default(20),
  tau_minus_ms: pos.default(20),
  window: z.enum(['antisymmetric', 'symmetric']).default('antisymmetric'),
  sign: z.union([z.literal(1), z.literal(-1)]).default(1),
  psth_bin_ms: pos.default(50),
  lif: z
    .strictObject({
      tau_m_ms: pos.default(20), v_rest_mv: z.number().default(-70), v_reset_mv: z.number().default(-60),
      v_th_mv: z.number().default(-50), t_ref_ms: nonNeg.default(2), tau_syn_exc_ms: pos.default(1),
      input_weight_mv: pos.default(10), knot_ms: pos.default(25),
    })
    .default({ tau_m_ms: 20, v_rest_mv: -70, v_reset_mv: -60, v_th_mv: -50, t_ref_ms: 2, tau_syn_exc_ms: 1, input_weight_mv: 10, knot_ms: 25 }),
});
export type DerivativeSettings = z.output<typeof derivativeSettings>;

/** Intervals of a trial (ms): presynaptic [p0, p1], postsynaptic [q0, q1], ramp centre. */
export function trialGeometry(st: DerivativeSettings) {
  const p0 = st.t0_ms, p1 = st.t1_ms;
  const q0 = st.design === 1 ? p0 - st.margin_ms : p0;
  const q1 = st.design === 1 ? p1 + st.margin_ms : p1;
  return { p0, p1, q0, q1, mid: 0.5 * (p0 + p1) };
}

/** The post rate ramp for a slope in Hz/s as alpha + beta u, per ms. */
export function rampFor(st: DerivativeSettings, slopeHzPerS: number): RampTrial {
  const g = trialGeometry(st);
  const beta = slopeHzPerS * 1e-6; // Hz/s -> per ms^2
  return { rPre: st.r_pre_hz * 1e-3, p0: g.p0, p1: g.p1, q0: g.q0, q1: g.q1, alpha: st.r_post_hz * 1e-3 - beta * g.mid, beta };
}

