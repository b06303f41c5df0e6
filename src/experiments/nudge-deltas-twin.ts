/**
 * The rate-coded twin of the nudge-deltas network (784 inputs -> H LIF -> K LIF, feedback K -> H, teachers -> K), and
 * backprop's deltas for it.
 *
 * Each LIF neuron (delta synapses) is a rate unit with the project's transfer function (rate/lif-transfer.ts):
 *
 *     mu_j = v_rest + i_bias + tau_m sum_i w_ij r_i,      sigma_j^2 = tau_m sum_i w_ij^2 r_i,      r_j = phi(mu_j, sigma_j)
 *
 * (rates per ms inside, Hz at the boundary; phi = Siegert). Hidden neurons sum the pixels' Poisson rates and the
 * feedback from the outputs; outputs sum the hidden rates and the teachers'. The free or nudged state is the fixed
 * point of this loop, found by damped iteration (`fixedPoint`).
 *
 * Backprop (squared error, loss 1/2 sum_k (t_k - r_k)^2, the pre-activation of a unit taken to be its mu):
 *
 *     delta_k = phi'_k (t_k - r_k),        delta_h = phi'_h sum_k W_hk delta_k,        phi' = d phi / d mu
 *
 * (the direction in which a small nudge toward the target should move each rate: minus the gradient with respect
 * to mu, times the slope). The slopes are central differences of the Siegert rate at the fixed point, sigma held.
 * The noise terms (sigma's dependence on the rates) and the feedback loop are left out of delta by definition: they
 * are what makes the twin's own nudge response differ from delta, and the experiment reports by how much.
 */
import { lifRateSiegert, type LifRateParams } from '../rate/lif-transfer.js';

export interface LifUnitParams extends LifRateParams {
  v_rest_mv: number;
  i_bias_mv: number;
}

/** Dense weights in mV, each stored [pre][post]. */
export interface TwinWeights {
  nIn: number;
  nHid: number;
  nOut: number;
  inHid: Float64Array;
  hidOut: Float64Array;
  /** Feedback out -> hid, [out][hid]. */
  outHid: Float64Array;
  /** Teacher -> out, one weight per output (the one_to_one projections), excitatory and inhibitory. */
  teachExc: Float64Array;
  teachInh: Float64Array;
}

export interface TwinState {
  muH: Float64Array;
  sigH: Float64Array;
  /** Hz */
  rH: Float64Array;
  muO: Float64Array;
  sigO: Float64Array;
  /** Hz */
  rO: Float64Array;
  iterations: number;
}

/** Step of the central difference for phi' (mV). */
const SLOPE_STEP_MV = 0.01;
/** Fixed-point iteration: damping, tolerance (Hz) and cap. */
const DAMPING = 0.5;
const TOL_HZ = 1e-7;
const MAX_ITER = 2000;

export function phiHz(p: LifUnitParams, mu: number, sigma: number): number {
  return 1000 * lifRateSiegert(p, mu, sigma);
}

/** d phi / d mu in Hz per mV, sigma held. */
export function slopeHzPerMv(p: LifUnitParams, mu: number, sigma: number): number {
  return (phiHz(p, mu + SLOPE_STEP_MV, sigma) - phiHz(p, mu - SLOPE_STEP_MV, sigma)) / (2 * SLOPE_STEP_MV);
}

/** Drive (tau_m sum w r, mV) and variance (tau_m sum w^2 r, mV^2) that `rates` (Hz) send through W [pre][post] into
 * `mu` and `v` (added). */
function addDrive(W: Float64Array, nPre: number, nPost: number, ratesHz: ArrayLike<number>, tauM: number, mu: Float64Array, v: Float64Array): void {
  for (let i = 0; i < nPre; i++) {
    const r = (ratesHz[i] * tauM) / 1000;
    if (r === 0) continue;
    for (let j = 0, o = i * nPost; j < nPost; j++) {
      const w = W[o + j];
      mu[j] += w * r;
      v[j] += w * w * r;
    }
  }
}

/**
 * The fixed point of the loop for input rates `inputHz` (per pixel source) and teacher rates (per output, Hz);
 * `start` (a previous state, e.g. the free one for a nudge) seeds the iteration.
 */
export function fixedPoint(hid: LifUnitParams, out: LifUnitParams, w: TwinWeights, inputHz: ArrayLike<number>, teachExcHz: ArrayLike<number>, teachInhHz: ArrayLike<number>, start?: TwinState): TwinState {
  const { nIn, nHid: H, nOut: K } = w;
  // The input's drive is fixed: computed once.
  const muIn = new Float64Array(H).fill(hid.v_rest_mv + hid.i_bias_mv);
  const vIn = new Float64Array(H);
  addDrive(w.inHid, nIn, H, inputHz, hid.tau_m_ms, muIn, vIn);
  const muT = new Float64Array(K).fill(out.v_rest_mv + out.i_bias_mv);
  const vT = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    for (const [wt, r] of [[w.teachExc[k], teachExcHz[k]], [w.teachInh[k], teachInhHz[k]]]) {
      const x = (r * out.tau_m_ms) / 1000;
      muT[k] += wt * x;
      vT[k] += wt * wt * x;
    }
  }
  const s: TwinState = {
    muH: new Float64Array(H), sigH: new Float64Array(H), rH: start ? start.rH.slice() : new Float64Array(H),
    muO: new Float64Array(K), sigO: new Float64Array(K), rO: start ? start.rO.slice() : new Float64Array(K), iterations: 0,
  };
  const vH = new Float64Array(H);
  const vO = new Float64Array(K);
  for (let it = 1; it <= MAX_ITER; it++) {
    s.muO.set(muT);
    vO.set(vT);
    addDrive(w.hidOut, H, K, s.rH, out.tau_m_ms, s.muO, vO);
    s.muH.set(muIn);
    vH.set(vIn);
    addDrive(w.outHid, K, H, s.rO, hid.tau_m_ms, s.muH, vH);
    let change = 0;
    for (let k = 0; k < K; k++) {
      s.sigO[k] = Math.sqrt(vO[k]);
      const r = phiHz(out, s.muO[k], s.sigO[k]);
      change = Math.max(change, Math.abs(r - s.rO[k]));
      s.rO[k] += DAMPING * (r - s.rO[k]);
    }
    for (let h = 0; h < H; h++) {
      s.sigH[h] = Math.sqrt(vH[h]);
      const r = phiHz(hid, s.muH[h], s.sigH[h]);
      change = Math.max(change, Math.abs(r - s.rH[h]));
      s.rH[h] += DAMPING * (r - s.rH[h]);
    }
    s.iterations = it;
    if (change < TOL_HZ) return s;
  }
  throw new Error(`nudge-deltas rate twin: no fixed point within ${MAX_ITER} iterations (the feedback loop's gain may be >= 1: lower settings.kappa)`);
}

export interface Deltas {
  /** phi'_k (t_k - r_k), Hz^2 / mV */
  out: Float64Array;
  /** phi'_h sum_k W_hk delta_k */
  hid: Float64Array;
  /** Slopes phi' (Hz / mV). */
  slopeH: Float64Array;
  slopeO: Float64Array;
}

/** Backprop's deltas at the state `s` for the target rates `targetHz` (see the header). */
export function backpropDeltas(hid: LifUnitParams, out: LifUnitParams, w: TwinWeights, s: TwinState, targetHz: ArrayLike<number>): Deltas {
  const { nHid: H, nOut: K } = w;
  const slopeO = Float64Array.from({ length: K }, (_, k) => slopeHzPerMv(out, s.muO[k], s.sigO[k]));
  const slopeH = Float64Array.from({ length: H }, (_, h) => slopeHzPerMv(hid, s.muH[h], s.sigH[h]));
  const dOut = Float64Array.from({ length: K }, (_, k) => slopeO[k] * (targetHz[k] - s.rO[k]));
  const dHid = new Float64Array(H);
  for (let h = 0; h < H; h++) {
    let sum = 0;
    for (let k = 0; k < K; k++) sum += w.hidOut[h * K + k] * dOut[k];
    dHid[h] = slopeH[h] * sum;
  }
  return { out: dOut, hid: dHid, slopeH, slopeO };
}

/** The teacher's rates for gain beta: beta (t_k - r_k) Hz on the excitatory teacher where positive, on the
 * inhibitory one where negative. */
export function teacherRates(beta: number, targetHz: ArrayLike<number>, outHz: ArrayLike<number>, exc: Float64Array, inh: Float64Array): void {
  for (let k = 0; k < exc.length; k++) {
    const e = beta * (targetHz[k] - outHz[k]);
    exc[k] = e > 0 ? e : 0;
    inh[k] = e < 0 ? -e : 0;
  }
}
