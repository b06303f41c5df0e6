/**
 * Closed-form STDP expectations for given spike times: the quantity a run must reproduce exactly.
 *
 *   W(s) = sign a_plus e^{-s/tau_plus} (s >= 0),   sign k a_minus e^{s/tau_minus} (s < 0),   s = t_post - (t_pre + d)
 *
 * with k = -1 (antisymmetric) or +1 (symmetric). All-to-all pairing sums W over every pair; nearest pairing pairs each
 * post spike with the latest arrival at or before it and each arrival with the latest post spike strictly before it.
 * Valid while no weight bound is reached (additive rule).
 */
import type { StdpSpec } from '../synapses/plasticity/spec.js';

export type WindowSpec = Pick<StdpSpec, 'a_plus' | 'a_minus' | 'tau_plus_ms' | 'tau_minus_ms' | 'pairing' | 'window' | 'sign'>;

export function windowAt(r: WindowSpec, s: number): number {
  const k = r.window === 'antisymmetric' ? -1 : 1;
  return r.sign * (s >= 0 ? r.a_plus * Math.exp(-s / r.tau_plus_ms) : k * r.a_minus * Math.exp(s / r.tau_minus_ms));
}

export function pairedWeightChange(r: WindowSpec, preArrivals: number[], post: number[]): number {
  let dw = 0;
  if (r.pairing === 'all_to_all') {
    for (const a of preArrivals) for (const b of post) dw += windowAt(r, b - a);
    return dw;
  }
  const arr = [...preArrivals].sort((x, y) => x - y);
  const ps = [...post].sort((x, y) => x - y);
  for (const b of ps) {
    let a = -Infinity;
    for (const x of arr) if (x <= b) a = x;
    if (a > -Infinity) dw += windowAt(r, b - a) * (b - a >= 0 ? 1 : 0);
  }
  for (const a of arr) {
    let b = -Infinity;
    for (const x of ps) if (x < a) b = x;
    if (b > -Infinity) dw += windowAt(r, b - a);
  }
  return dw;
}
