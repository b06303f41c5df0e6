/**
 * Units and the few tolerances of the whole simulator, defined once.
 *
 * chronoprop works in milliseconds (ms) and millivolts (mV) everywhere. Rates at the public boundary are in Hz
 * (spikes per second); convert with `hzToPerMs`. Public parameter names carry their unit (`tau_m_ms`, `rate_hz`).
 */

/** Time in milliseconds (float64, continuous: never rounded to a grid). */
export type Ms = number;
/** Potential in millivolts. */
export type MV = number;

/** Spikes per ms from spikes per second. */
export function hzToPerMs(rateHz: number): number {
  return rateHz * 1e-3;
}

/**
 * Absolute tolerance on the threshold-crossing time (ms). The root finder stops when the bracket is narrower than
 * this; the returned time is the bracket's right end, where v >= threshold holds.
 */
export const CROSSING_TOL_MS = 1e-13;

/**
 * Voltage slack (mV) used only when a predicted crossing pops from the queue: the membrane is advanced to that time
 * along a different floating-point path than the prediction took, so it may land a few ulps below threshold.
 */
export const THRESHOLD_SLACK_MV = 1e-9;

/**
 * The smallest double after t (t >= 0, finite): the earliest time that is not t itself. A model that finds a
 * threshold crossing less than half an ulp after t, where v(t) is still below threshold, must queue this time, not t
 * again: at large magnitudes (a weight of 1e5 mV, a bias of 1e17 mV) the crossing's offset from t rounds to 0, and a
 * model that queued t looked at the neuron at t forever (models/lif.ts, docs/limits.md).
 */
export function nextTime(t: number): number {
  if (!(t > 0)) return t === 0 ? Number.MIN_VALUE : t;
  // t = m 2^e with 1 <= m < 2, so d = t 2^-53 is between half an ulp and one ulp: t + d rounds up to t + ulp, except
  // at m = 1, where d is exactly half an ulp, the tie may round back to t and 2d is exactly one ulp. Below 2^-1021
  // d underflows: there the ulp is Number.MIN_VALUE itself.
  const d = t * 2 ** -53;
  const n = t + d;
  if (n > t) return n;
  return t < 2 ** -1021 ? t + Number.MIN_VALUE : t + 2 * d;
}

/**
 * Decaying quantities stored scaled to a shared epoch (STDP traces, the LIF decay caches) move that epoch once the
 * current time is this many time constants past it: every stored exponential's argument stays within +-16, so nothing
 * overflows and the products agree with the direct exponential to a few ulp.
 */
export const EPOCH_SPAN_TAU = 16;

/**
 * Check times (lower bounds on a threshold crossing, looked at again when they come; models/lif.ts) are rounded down
 * to a grid of this many membrane time constants: still lower bounds, but an input that brings the bound earlier
 * need not reschedule the neuron unless the bound passes the grid line below it. On CUBA (tau_m 20 ms, so a 10 ms
 * grid) reschedules by inputs fall from 376,000 to 125,000 per simulated second, for 15% more checks. Closed-form
 * crossings (voltage jumps only) past the next grid line are queued the same way: on Brette's Benchmark 4
 * reschedules fall from 599,000 to 149,000 per simulated second, for 23% more checks. The model reports the grid
 * (NeuronGroup.checkGridMs), and its population keeps times on it in buckets, one per grid line (DueQueue).
 */
export const CHECK_GRID_TAU = 0.5;

/**
 * The time 0 ms as V8 stores a fractional number (-0 is not a small integer): the initial value of a time field
 * that later holds fractional times (an epoch, the clock). A field first given a small integer is stored as one,
 * and the first fractional value written to it changes the hidden class of its object, which throws away
 * ("deoptimizes") all optimized code that reads the object: in a fresh 1 s CUBA run, 39 of its 59 wrong-map
 * deoptimizations, and about 0.1 CPU s of its first run (docs/notebooks/kernel-rounds.md). -0 equals 0 in every
 * comparison and sum the kernel makes with it.
 */
export const TIME_ZERO_MS: Ms = -0;
