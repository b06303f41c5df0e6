/**
 * Firing rate of the `lif` model as a function of its input statistics: the transfer functions of the rate-coded
 * twin.
 *
 * Input: mean free membrane potential mu (mV, what v would settle at without threshold) and noise sigma (mV, in
 * the white-noise convention tau_m dv = (mu - v) dt + sigma sqrt(tau_m) dW). For Poisson inputs of rates r_j
 * (per ms) whose synapses move v by J_j in total (delta synapse: J = w; exponential current: J = w tau_s / tau_m):
 *
 *     mu = v_rest + i_bias + tau_m sum_j J_j r_j,        sigma^2 = tau_m sum_j J_j^2 r_j
 *
 * - noise-free (sigma = 0): r = 1 / (t_ref + tau_m ln((mu - v_reset) / (mu - v_th))) for mu > v_th, else 0;
 * - Siegert (diffusion approximation, Siegert 1951; Brunel 2000):
 *       1 / r = t_ref + tau_m sqrt(pi) integral_{(v_reset - mu)/sigma}^{(v_th - mu)/sigma} e^{x^2} (1 + erf x) dx,
 *   with the Fourcaud & Brunel 2002 correction for synaptic filtering: v_th and v_reset shift up by
 *   sigma (alpha / 2) sqrt(tau_s / tau_m), alpha = sqrt(2) |zeta(1/2)|.
 * e^{x^2} (1 + erf x) = erfcx(-x) is evaluated with stdlib's scaled complementary error function. Rates per ms.
 */
import erfcx from '@stdlib/math-base-special-erfcx';
import { gaussLegendre } from '../analysis/window-integrals.js';

export interface LifRateParams {
  tau_m_ms: number;
  v_th_mv: number;
  v_reset_mv: number;
  t_ref_ms: number;
}

const ALPHA_FB = Math.SQRT2 * 1.4603545088095868; // sqrt(2) |zeta(1/2)|

export function lifRateNoiseFree(p: LifRateParams, mu: number): number {
  if (!(mu > p.v_th_mv)) return 0;
  return 1 / (p.t_ref_ms + p.tau_m_ms * Math.log((mu - p.v_reset_mv) / (mu - p.v_th_mv)));
}

export function lifRateSiegert(p: LifRateParams, mu: number, sigma: number, tauSynMs = 0): number {
  if (!(sigma > 0)) return lifRateNoiseFree(p, mu);
  const shift = tauSynMs > 0 ? sigma * (ALPHA_FB / 2) * Math.sqrt(tauSynMs / p.tau_m_ms) : 0;
  const yTh = (p.v_th_mv + shift - mu) / sigma;
  const yR = (p.v_reset_mv + shift - mu) / sigma;
  if (yTh > 30) return 0; // e^{900}: the rate underflows
  const integral = gaussLegendre((x) => erfcx(-x), yR, yTh, 32);
  return 1 / (p.t_ref_ms + p.tau_m_ms * Math.sqrt(Math.PI) * integral);
}
