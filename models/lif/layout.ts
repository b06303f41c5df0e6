/**
 * The LIF group's record layout, its scratch registers and the numbers its hot path is tuned with.
 *
 * Each neuron's state and bookkeeping is one record of Rec.SIZE = 8 doubles, so that an input loads one record
 * instead of reading four arrays; from 1,024 neurons up the array starts on a cache line (src/kernel/aligned.ts), so a
 * record is one line of 64 bytes. The values are const enums: the bundler writes each number in place, so naming
 * them adds no load and no bytecode to the hot path (V8's inlining budget is counted in bytecode).
 */

/** Offsets in neuron i's record, rec[Rec.SIZE * i + offset]. V is 0: the record's base index is v, no offset added. */
export const enum Rec {
  /** Membrane potential at tLast (mV). */
  V = 0,
  /** Excitatory synaptic input at tLast (mV, R times current). */
  IE = 1,
  /** Inhibitory synaptic input at tLast (mV). */
  II = 2,
  /** Time the state above holds for (ms). */
  T_LAST = 3,
  /** End of the refractory period (ms); -Infinity: never refractory. */
  REF_END = 4,
  /** zs = e^{(tLast - epoch)/tau_m}, or NaN when not known (LifRelaxation.epoch). */
  ZS = 5,
  /** zp = e^{(pT - epoch)/tau_m}, or NaN when not yet computed for the current pT. */
  ZP = 6,
  /** pT: the neuron's pending time as its population queued it (Infinity: nothing queued). */
  PT = 7,
  /** Doubles per record: one cache line. */
  SIZE = 8,
}

/**
 * Scratch registers of the hot path, so that no double crosses a call: V8 boxes (allocates) each double passed to or
 * returned from a call it has not inlined, and the hot path exhausts its inlining budget. (Before the crossing path
 * used them, cuba-10s allocated about 1.1 GB of boxed numbers in its 10 s, 5% of its time in garbage collection.)
 */
export const enum Reg {
  /** State (v, i_exc, i_inh): relax() works on it in place; on the crossing path, the state at t0. */
  V = 0,
  IE = 1,
  II = 2,
  /** A time step h and e^{-h/tau_m} (relax()). */
  H = 3,
  EM = 4,
  /** crossingFrom: its interval (t0, tUpper] and the crossing it finds. */
  T0 = 5,
  T_UPPER = 6,
  T_CROSS = 7,
  /** relaxationArg and linearBound: the bound they compute. */
  BOUND = 8,
  /** inputMany's sink for the loads that bring a group's records into cache. */
  SINK = 9,
  COUNT = 10,
}

/** The registers (indexed by Reg), one set shared by every LIF group: a call never spans two groups' use of them. */
export const S = new Float64Array(Reg.COUNT);

/** Numbers of the hot path, each with its reason. */
export const enum Tuned {
  /**
   * Relative margin on E = e^{(tPending - t)/tau_m} in inputMany's relaxation-bound test: larger than the few ulps
   * by which E and the bound can be off, so rounding can only send more inputs to crossingFrom, never fewer.
   */
  BOUND_MARGIN = 1e-12,
  /**
   * 2^-50 = 4 ulps of 1: atThreshold accepts a predicted crossing when v is within 4 ulps of each term that computed
   * it (and of the time), the rounding the closed form can leave.
   */
  ROUNDING_ULPS = 8.881784197001252e-16,
  /**
   * Groups of at most this many neurons skip inputMany's touch loop: 512 records of 64 bytes fill a 32 KiB
   * first-level data cache, so there are no misses to overlap (the wide learner's 100 hidden neurons: the loop
   * took 7% of inputMany's time for nothing).
   */
  L1_RECORDS = 512,
}

/** Past this many time constants every decaying term is below 1e-300 of its start (e^-700 = 1e-304): v is at v_inf. */
export const HORIZON_E_FOLDS = 700;
/**
 * Solve exactly only when the lower bound puts the crossing within this fraction of the fastest time constant: there
 * the bounds are no longer tight (each PSP is bounded by its initial slope or its peak), and one more check would
 * follow almost at once.
 */
export const NEAR_FRACTION = 0.05;
/**
 * Largest tau_m / tau_s taken as an integer power (e^{-h/tau_s} = z^q): up to 16, repeated squaring takes at most
 * five rounds of multiplications, cheaper than the exponential it replaces; the polynomial path needs q <= MAX_DEGREE.
 */
export const MAX_POWER = 16;
