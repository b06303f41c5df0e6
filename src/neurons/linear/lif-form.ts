/**
 * Does a linear system (system.ts) have `lif`'s form? Then its threshold variable's solution is lif's closed form,
 * and the system can run on lif's tuned group (models/lif/as-linear.ts) instead of the general machinery: the same
 * trajectory, with lif's bounds, check times, epoch-form decay and crossing search (models/lif.ts, header).
 *
 * The form, with v the threshold variable and at most two other variables ("currents"):
 *
 *     dv/dt = (v_inf - v) / tau_m + sum_s a_s x_s        a_s != 0
 *     dx_s/dt = -x_s / tau_s                              each current decays alone: no drive, no coupling
 *     reset: v = constant (every statement sets v to a constant; nothing else is reset)
 *     receptors jump a current, or v itself (lif's delta synapse: then at most one current)
 *
 * It maps onto lif's parameters with i_s = tau_m a_s x_s (lif's currents are in mV, entering as i_s / tau_m): a
 * current becomes lif's receptor slot exc or inh (in the order of the variables), an input of weight w on it an input
 * of tau_m a_s w to that slot, and a receptor on v a slot with tau_syn 0. v_inf = c_v tau_m is lif's v_rest_mv (its
 * i_bias_mv 0). Both hold v at its reset value through the refractory period while the currents decay, and both
 * discard inputs to v then. Whether lif accepts the parameters (v_reset < v_th, no tau_s within 1e-4 of tau_m
 * unless equal) is the caller's to check (models/lif.ts `check`); the general machinery takes what it refuses.
 */
import type { Params } from '../model.js';
import type { LinearSystem } from './system.js';

/** How a lif-form system maps onto lif: its parameters, and each variable's and receptor's place there. */
export interface LifForm {
  /** lif's parameters (models/lif.ts). */
  readonly params: Params;
  /** Per state variable of the system: its lif state column (0 v, 1 i_exc, 2 i_inh). */
  readonly column: Int32Array;
  /** Per state variable: lif's value is scale times the system's (1 for v; tau_m a_s for a current). */
  readonly scale: Float64Array;
  /** Per receptor of the system: its lif receptor slot (0 exc, 1 inh). */
  readonly slot: Int32Array;
  /** Per receptor: lif's weight is weightScale times the system's (the scale of the variable it jumps). */
  readonly weightScale: Float64Array;
  /** The initial state in lif's columns (v, i_exc, i_inh). */
  readonly initial: Float64Array;
}

/** Most currents lif has slots for. */
const LIF_SLOTS = 2;

/** The lif form of sys, or null if it has none (see the header). */
export function lifForm(sys: LinearSystem): LifForm | null {
  const { A, c, th } = sys;
  const n = sys.vars.length;
  if (!(A[th][th] < 0)) return null;
  const tauM = -1 / A[th][th];
  const currents: number[] = [];
  for (let j = 0; j < n; j++) {
    if (j === th) continue;
    if (!(A[j][j] < 0) || c[j] !== 0 || A[th][j] === 0) return null;
    for (let k = 0; k < n; k++) if (k !== j && A[j][k] !== 0) return null;
    currents.push(j);
  }
  const direct = sys.receptorTarget.some((v) => v === th);
  if (currents.length > LIF_SLOTS - (direct ? 1 : 0)) return null;
  if (sys.reset.length === 0 || sys.reset.some((r) => r.target !== th || r.coef.some((x) => x !== 0))) return null;
  const column = new Int32Array(n);
  const scale = new Float64Array(n).fill(1);
  const tauSyn = [0, 0];
  currents.forEach((j, s) => {
    column[j] = 1 + s;
    scale[j] = tauM * A[th][j];
    tauSyn[s] = -1 / A[j][j];
  });
  const deltaSlot = currents.length; // the first slot no current took (tau_syn 0: lif's voltage jump)
  const slot = Int32Array.from(sys.receptorTarget, (v) => (v === th ? deltaSlot : column[v] - 1));
  const weightScale = Float64Array.from(sys.receptorTarget, (v) => scale[v]);
  const initial = new Float64Array(3);
  for (let j = 0; j < n; j++) initial[column[j]] = scale[j] * sys.initial[j];
  return {
    params: {
      tau_m_ms: tauM,
      v_rest_mv: c[th] * tauM,
      i_bias_mv: 0,
      v_reset_mv: sys.reset[sys.reset.length - 1].constant,
      v_th_mv: sys.theta,
      t_ref_ms: sys.refractoryMs,
      tau_syn_exc_ms: tauSyn[0],
      tau_syn_inh_ms: tauSyn[1],
    },
    column,
    scale,
    slot,
    weightScale,
    initial,
  };
}
