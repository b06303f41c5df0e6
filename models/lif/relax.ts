/**
 * The LIF group's record and its relaxation: the parameters derived once (NEST's Variables), each neuron's record
 * (layout.ts), and the closed form of the free trajectory between events (models/lif.ts, header), applied in place
 * to the scratch registers. The bounds (bounds.ts), the root solving (roots.ts) and the group's event handlers
 * (group.ts) extend this class in turn; one object, one hidden class, so every call stays monomorphic.
 */
import type { Params, StateColumn } from '../../src/neurons/model.js';
import { StridedColumn } from '../../src/neurons/strided.js';
import { MAX_DEGREE } from '../../src/math/poly-root.js';
import { EPOCH_SPAN_TAU, CHECK_GRID_TAU, TIME_ZERO_MS } from '../../src/kernel/units.js';
import { cacheAlignedFloat64 } from '../../src/kernel/aligned.js';
import { Rec, Reg, S, HORIZON_E_FOLDS, NEAR_FRACTION, MAX_POWER } from './layout.js';
import { intPower } from './power.js';

export class LifRelaxation {
  /**
   * Each neuron's state and bookkeeping in one record of Rec.SIZE = 8 doubles at rec[Rec.SIZE * i] (layout.ts): v,
   * i_exc, i_inh (the state at tLast), tLast, refEnd (end of the refractory period), zs, zp, pT (see below). The
   * public `state` columns are strided views of the first three fields.
   */
  protected readonly rec: Float64Array;
  /** 1 if the neuron's last returned time was an exact crossing, 0 if it was a check time (a lower bound). */
  protected readonly exact: Uint8Array;
  readonly state: Readonly<Record<string, StateColumn>>;
  protected readonly tauM: number;
  protected readonly tauE: number;
  protected readonly tauI: number;
  protected readonly vInf: number;
  protected readonly vTh: number;
  protected readonly vReset: number;
  protected readonly tRef: number;
  protected readonly deltaE: boolean;
  protected readonly deltaI: boolean;
  /** K_s = tau_s / (tau_s - tau_m), or NaN when tau_s = tau_m (the h e^{-h/tau_m} case). */
  protected readonly kE: number;
  protected readonly kI: number;
  /** Past this many ms after any state, every decaying term is below 1e-300 of its start: v is at v_inf. */
  protected readonly horizon: number;
  /** |K_s| + 1 (2 when tau_s = tau_m): the scale of a current's terms in v, for the rounding allowed in atThreshold. */
  protected readonly magE: number;
  protected readonly magI: number;
  /** Peak of the PSP of a unit current on each receptor: max_h K (e^{-h/tau_s} - e^{-h/tau_m}) (0 for delta). */
  protected readonly peakE: number;
  protected readonly peakI: number;
  /** tau_s / (tau_m - tau_s) when tau_m >= 2 tau_s (a hyperpolarizing current then stays in the bound), else 0. */
  protected readonly hypE: number;
  protected readonly hypI: number;
  /** tau_m / tau_s when it is a small integer (then e^{-h/tau_s} = (e^{-h/tau_m})^q, one exp fewer), else 0. */
  protected readonly qE: number;
  protected readonly qI: number;
  /**
   * True when every exponential of the trajectory is a power of z = e^{-h/tau_m} of degree <= MAX_DEGREE (each
   * receptor delta, or tau_m / tau_s an integer >= 2): the crossing is then a root of a polynomial in z.
   */
  protected readonly poly: boolean;
  /** Solve for the crossing exactly only when the linear lower bound puts it within this many ms. */
  protected readonly nearMs: number;
  /** Check times are rounded down to multiples of this (ms), unless that would not be after now (CHECK_GRID_TAU). */
  readonly checkGridMs: number;
  /**
   * zs = e^{(tLast - epoch)/tau_m}, or NaN when not known. Then e^{-(t - tLast)/tau_m} = zs / e^{(t - epoch)/tau_m}:
   * inputMany decays a whole delivery group with one exponential. The epoch moves to t (rescaling zs) once t is
   * more than `span` = EPOCH_SPAN_TAU tau_m past it, so the arguments stay within +-16 and the product is within a
   * few ulp of the direct exponential.
   * pT is the neuron's pending time as its population queued it: a copy, kept here so that an input loads one
   * record and not the population's pending array as well (at 64k neurons and more, another cache miss). It stays
   * equal to the queued time because the population queues every time predict() and fire() return and every
   * earlier time input() and inputMany() report (NeuronGroup's contract), and each of those writes it here.
   * zp = e^{(pT - epoch)/tau_m}, or NaN when not yet computed for the current pT.
   */
  protected epoch = TIME_ZERO_MS;
  /** Infinity after holdEpoch (inputs never move the epoch), with the span kept in heldSpan for moveEpoch. */
  protected span: number;
  private heldSpan = NaN;

  constructor(readonly size: number, p: Params) {
    this.rec = cacheAlignedFloat64(Rec.SIZE * size);
    for (let i = 0; i < size; i++) {
      this.rec[Rec.SIZE * i] = p.v_rest_mv;
      this.rec[Rec.SIZE * i + Rec.REF_END] = -Infinity; // never refractory
      this.rec[Rec.SIZE * i + Rec.ZS] = NaN; // zs unknown
      this.rec[Rec.SIZE * i + Rec.ZP] = NaN; // zp unknown
      this.rec[Rec.SIZE * i + Rec.PT] = Infinity; // nothing queued yet
    }
    this.exact = new Uint8Array(size);
    this.span = EPOCH_SPAN_TAU * p.tau_m_ms;
    this.state = {
      v_mv: new StridedColumn(this.rec, Rec.V, Rec.SIZE, size),
      i_exc_mv: new StridedColumn(this.rec, Rec.IE, Rec.SIZE, size),
      i_inh_mv: new StridedColumn(this.rec, Rec.II, Rec.SIZE, size),
    };
    this.tauM = p.tau_m_ms;
    this.tauE = p.tau_syn_exc_ms;
    this.tauI = p.tau_syn_inh_ms;
    this.vInf = p.v_rest_mv + p.i_bias_mv;
    this.vTh = p.v_th_mv;
    this.vReset = p.v_reset_mv;
    this.tRef = p.t_ref_ms;
    this.deltaE = this.tauE === 0;
    this.deltaI = this.tauI === 0;
    this.kE = this.tauE === this.tauM ? NaN : this.tauE / (this.tauE - this.tauM);
    this.kI = this.tauI === this.tauM ? NaN : this.tauI / (this.tauI - this.tauM);
    this.magE = (this.kE === this.kE ? Math.abs(this.kE) : 1) + 1;
    this.magI = (this.kI === this.kI ? Math.abs(this.kI) : 1) + 1;
    this.peakE = pspPeak(this.tauE, this.tauM);
    this.peakI = pspPeak(this.tauI, this.tauM);
    this.hypE = !this.deltaE && this.tauM >= 2 * this.tauE ? this.tauE / (this.tauM - this.tauE) : 0;
    this.hypI = !this.deltaI && this.tauM >= 2 * this.tauI ? this.tauI / (this.tauM - this.tauI) : 0;
    this.qE = integerRatio(this.tauM, this.tauE);
    this.qI = integerRatio(this.tauM, this.tauI);
    const polyOk = (delta: boolean, q: number) => delta || (q >= 2 && q <= MAX_DEGREE);
    this.poly = polyOk(this.deltaE, this.qE) && polyOk(this.deltaI, this.qI);
    this.horizon = HORIZON_E_FOLDS * Math.max(this.tauM, this.tauE, this.tauI) + 1;
    this.checkGridMs = CHECK_GRID_TAU * this.tauM;
    const tauE = this.deltaE ? Infinity : this.tauE;
    const tauI = this.deltaI ? Infinity : this.tauI;
    this.nearMs = NEAR_FRACTION * Math.min(this.tauM, tauE, tauI);
  }

  advance(i: number, t: number): void {
    const tl = this.rec[Rec.SIZE * i + Rec.T_LAST];
    if (!(t > tl)) return;
    // Past the refractory period (the common case) the state relaxes freely over the whole step.
    if (this.rec[Rec.SIZE * i + Rec.REF_END] > tl) this.project(i, t, S);
    else {
      S[Reg.V] = this.rec[Rec.SIZE * i];
      S[Reg.IE] = this.deltaE ? 0 : this.rec[Rec.SIZE * i + Rec.IE];
      S[Reg.II] = this.deltaI ? 0 : this.rec[Rec.SIZE * i + Rec.II];
      S[Reg.H] = t - tl;
      S[Reg.EM] = Math.exp(-S[Reg.H] / this.tauM);
      this.relax();
    }
    this.rec[Rec.SIZE * i] = S[Reg.V];
    this.rec[Rec.SIZE * i + Rec.IE] = S[Reg.IE];
    this.rec[Rec.SIZE * i + Rec.II] = S[Reg.II];
    this.rec[Rec.SIZE * i + Rec.T_LAST] = t;
    this.rec[Rec.SIZE * i + Rec.ZS] = NaN; // not known here without one more exponential; inputMany computes it afresh
  }

  sample(i: number, t: number, out: Float64Array): void {
    this.project(i, t, out);
  }

  /** State of neuron i at t >= tLast (v, i_exc, i_inh) into out, without changing it. */
  protected project(i: number, t: number, out: Float64Array): void {
    let tl = this.rec[Rec.SIZE * i + Rec.T_LAST];
    const v = this.rec[Rec.SIZE * i];
    let ie = this.deltaE ? 0 : this.rec[Rec.SIZE * i + Rec.IE];
    let ii = this.deltaI ? 0 : this.rec[Rec.SIZE * i + Rec.II];
    const re = this.rec[Rec.SIZE * i + Rec.REF_END];
    if (re > tl) {
      // Refractory until re: v clamped at reset, currents decay.
      const tt = t < re ? t : re;
      if (ie !== 0) ie *= Math.exp(-(tt - tl) / this.tauE);
      if (ii !== 0) ii *= Math.exp(-(tt - tl) / this.tauI);
      tl = tt;
    }
    S[Reg.V] = v;
    S[Reg.IE] = ie;
    S[Reg.II] = ii;
    S[Reg.H] = t - tl;
    S[Reg.EM] = Math.exp(-S[Reg.H] / this.tauM);
    this.relax();
    out[0] = S[Reg.V];
    out[1] = S[Reg.IE];
    out[2] = S[Reg.II];
  }

  /**
   * The free trajectory (no refractory clamp): S = (v, i_exc, i_inh) becomes the state h = S[Reg.H] ms later (header);
   * S[Reg.EM] holds e^{-h/tau_m}, which the caller computes or knows.
   */
  protected relax(): void {
    const h = S[Reg.H];
    let v = S[Reg.V];
    let ie = S[Reg.IE];
    let ii = S[Reg.II];
    if (h > 0) {
      const em = S[Reg.EM];
      v = this.vInf + (v - this.vInf) * em;
      // e^{-h/tau_s} = em^q by repeated squaring when q = tau_m / tau_s is an integer (power.ts).
      if (ie !== 0) {
        const ee = this.qE > 0 ? intPower(em, this.qE) : Math.exp(-h / this.tauE);
        v += this.kE === this.kE ? ie * this.kE * (ee - em) : ie * (h / this.tauM) * em;
        ie *= ee;
      }
      if (ii !== 0) {
        const ei = this.qI > 0 ? intPower(em, this.qI) : Math.exp(-h / this.tauI);
        v += this.kI === this.kI ? ii * this.kI * (ei - em) : ii * (h / this.tauM) * em;
        ii *= ei;
      }
    }
    S[Reg.V] = v;
    S[Reg.IE] = ie;
    S[Reg.II] = ii;
  }
  /** pT (and so zp) after the population queued time tq for neuron i (see rec). */
  protected queued(i: number, tq: number): void {
    this.rec[Rec.SIZE * i + Rec.PT] = tq;
    this.rec[Rec.SIZE * i + Rec.ZP] = NaN;
  }
  /** Inputs stop moving the epoch; moveEpoch moves it (NeuronGroup.holdEpoch). */
  holdEpoch(): void {
    if (this.span === Infinity) return;
    this.heldSpan = this.span;
    this.span = Infinity;
  }

  /** After holdEpoch: the epoch moves to t if t is more than the span past it, as an input at t would have moved it. */
  moveEpoch(t: number): void {
    if (t - this.epoch > this.heldSpan) this.rebase(t);
  }

  /** Moves the epoch of zs and zp to t: both scale by e^{-(t - epoch)/tau_m} (an unknown NaN stays unknown). */
  protected rebase(t: number): void {
    const f = Math.exp((this.epoch - t) / this.tauM);
    const rec = this.rec;
    for (let r = 0; r < rec.length; r += Rec.SIZE) {
      rec[r + Rec.ZS] *= f;
      rec[r + Rec.ZP] *= f;
    }
    this.epoch = t;
  }}


/** a / b if it is an integer in [1, 16], else 0. */
function integerRatio(a: number, b: number): number {
  if (!(b > 0)) return 0;
  const q = a / b;
  return Number.isInteger(q) && q >= 1 && q <= MAX_POWER ? q : 0;
}

/** max over h of the PSP of a unit exponential current: K (e^{-h/ts} - e^{-h/tm}), or (h/tm) e^{-h/tm} if ts = tm. */
function pspPeak(ts: number, tm: number): number {
  if (!(ts > 0)) return 0;
  if (ts === tm) return Math.exp(-1);
  const h = (Math.log(ts / tm) * ts * tm) / (ts - tm);
  return (ts / (ts - tm)) * (Math.exp(-h / ts) - Math.exp(-h / tm));
}