/**
 * Input drive for the LIF variant of the derivative-filter experiment: the Poisson input rate nu(u) that makes the
 * rate-coded model of the postsynaptic LIF (Siegert with the Fourcaud-Brunel correction) fire at the target ramp.
 * Each input spike makes the exponential current jump by w; in the diffusion approximation J = w tau_s / tau_m,
 * mu = v_rest + tau_m J nu, sigma^2 = tau_m J^2 nu. nu is found by bisection at knots every `knot_ms` and given to a
 * poisson_source as a piecewise-linear profile.
 */
import { lifRateSiegert } from '../rate/lif-transfer.js';
import type { RampTrial } from '../analysis/window-integrals.js';
import type { DerivativeSettings } from './derivative-filter-trial.js';

export interface DriveProfile {
  times_ms: number[];
  rates_hz: number[];
}

/** Output rate (per ms) of the LIF for an input rate nu (per ms). */
export function lifOutputRate(st: DerivativeSettings, nu: number): number {
  const p = st.lif;
  const J = (p.input_weight_mv * p.tau_syn_exc_ms) / p.tau_m_ms;
  const mu = p.v_rest_mv + p.tau_m_ms * J * nu;
  const sigma = Math.sqrt(p.tau_m_ms * J * J * nu);
  return lifRateSiegert(p, mu, sigma, p.tau_syn_exc_ms);
}

function invert(st: DerivativeSettings, target: number): number {
  let lo = 0, hi = 1;
  while (lifOutputRate(st, hi) < target) hi *= 2;
  for (let k = 0; k < 100; k++) {
    const mid = 0.5 * (lo + hi);
    if (lifOutputRate(st, mid) < target) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

export function driveProfile(st: DerivativeSettings, ramp: RampTrial): DriveProfile {
  const times: number[] = [];
  for (let u = ramp.q0; u < ramp.q1; u += st.lif.knot_ms) times.push(u);
  times.push(ramp.q1);
  return { times_ms: times, rates_hz: times.map((u) => invert(st, ramp.alpha + ramp.beta * u) * 1e3) };
}
