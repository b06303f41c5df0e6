/**
 * The LIF group's event handlers (NeuronGroup): inputs one at a time (input) and as a delivery group at one time
 * (inputMany, the hot loop, with relax() and the relaxation bound written out), threshold tests, spikes, and the
 * crossing search that chooses between a bound (bounds.ts) and a solve (roots.ts). Checkpoints save the records.
 */
import type { NeuronGroup } from '../../src/neurons/model.js';
import { THRESHOLD_SLACK_MV, nextTime } from '../../src/kernel/units.js';
import type { StateReader, StateWriter } from '../../src/kernel/state-io.js';
import { LifRoots } from './roots.js';
import { Rec, Reg, S, Tuned } from './layout.js';
import { intPower } from './power.js';

export class LifGroup extends LifRoots implements NeuronGroup {
  /** e^{(t - epoch)/tau_m} and its inverse for the last inputMany's t and epoch (gAtT, gAtEpoch). */
  private gAt = NaN; // NaN, not 1: a fractional number from the start (see TIME_ZERO_MS)
  private invGAt = NaN;
  private gAtT = NaN;
  private gAtEpoch = NaN;

  input(i: number, t: number, receptor: number, w: number, tPending: number): number {
    const tNew = this.inputAt(i, t, receptor, w, tPending);
    if (tNew < tPending) this.queued(i, tNew);
    return tNew;
  }

  private inputAt(i: number, t: number, receptor: number, w: number, tPending: number): number {
    this.advance(i, t);
    const delta = receptor === 0 ? this.deltaE : this.deltaI;
    const refractory = this.rec[Rec.SIZE * i + Rec.REF_END] > t;
    if (delta) {
      if (refractory) return Infinity;
      this.rec[Rec.SIZE * i] += w;
      if (this.rec[Rec.SIZE * i] >= this.vTh) return t;
    } else if (receptor === 0) this.rec[Rec.SIZE * i + Rec.IE] += w;
    else this.rec[Rec.SIZE * i + Rec.II] += w;
    // Lazy inhibition: a non-positive input cannot bring the crossing earlier.
    if (!(w > 0)) return Infinity;
    return this.crossing(i, refractory ? this.rec[Rec.SIZE * i + Rec.REF_END] : t, tPending);
  }

  inputMany(
    post: Int32Array,
    w: Float64Array,
    s0: number,
    s1: number,
    t: number,
    receptor: number,
    _pending: Float64Array,
    changed: Int32Array,
    changedAt: Float64Array,
  ): number {
    // The common case, an input to a neuron past its refractory period, is written out: input() in a loop leaves V8
    // too little inlining budget, and each remaining call boxes its double arguments and result.
    // Every input here is at the same t, so the membrane decay e^{-(t - tLast)/tau_m} of each neuron is
    // zs * e^{-(t - epoch)/tau_m}: one exponential for the group instead of one per input (see rec and epoch).
    // Inputs often come in runs at one time (a source's spikes on a grid, one spike's targets in several delivery
    // groups): the factor is kept for the last (t, epoch), a pure function of them, so reusing it changes no bit.
    if (t - this.epoch > this.span) this.rebase(t);
    if (t !== this.gAtT || this.epoch !== this.gAtEpoch) {
      this.gAtT = t;
      this.gAtEpoch = this.epoch;
      this.gAt = Math.exp((t - this.epoch) / this.tauM);
      this.invGAt = 1 / this.gAt;
    }
    const G = this.gAt;
    const invG = this.invGAt;
    const delta = receptor === 0 ? this.deltaE : this.deltaI;
    const cur = receptor === 0 ? Rec.IE : Rec.II; // offset of the receptor's current in a record
    const { rec, vTh, vInf, tauM, deltaE, deltaI, qE, qI, kE, kI, peakE, peakI, hypE, hypI } = this;
    const jumpOnly = this.deltaE && this.deltaI;
    const shared = w.length === 1; // one weight for every synapse (NeuronGroup.inputMany)
    const w0 = w[0];
    // First touch every target's record (pT included): a loop of independent loads with no branch on their
    // values, so that their cache misses overlap. In the update loop below, a branch on a record's values that is
    // mispredicted discards the loads issued after it, so there each miss would wait alone.
    // (Not worth it where every record fits in the first-level cache.)
    if (rec.length > Tuned.L1_RECORDS * Rec.SIZE) {
      let touch = 0;
      for (let s = s0; s < s1; s++) touch += rec[Rec.SIZE * post[s] + Rec.T_LAST];
      S[Reg.SINK] = touch;
    }
    const relaxesBelow = !(vInf > vTh);
    let n = 0;
    for (let s = s0; s < s1; s++) {
      const i = post[s];
      const r = Rec.SIZE * i;
      const tPending = rec[r + Rec.PT]; // the queued time, or the one this call last reported for i (see rec)
      const wi = shared ? w0 : w[s];
      let tNew = Infinity;
      if (rec[r + Rec.REF_END] > rec[r + Rec.T_LAST] || rec[r + Rec.REF_END] > t) {
        tNew = this.input(i, t, receptor, wi, tPending);
      } else {
        const tl = rec[r + Rec.T_LAST];
        if (t > tl && jumpOnly) {
          // No synaptic currents: v relaxes alone (relax() with i_exc = i_inh = 0), then jumps by w (delta is true),
          // with v kept in a local (the same operations, so the same bits).
          const z = rec[r + Rec.ZS];
          const v = vInf + (rec[r] - vInf) * (z === z ? z * invG : Math.exp(-(t - tl) / this.tauM)) + wi;
          rec[r] = v;
          rec[r + Rec.T_LAST] = t;
          rec[r + Rec.ZS] = G;
          if (v >= vTh) tNew = t;
          // Below threshold and relaxing towards v_inf <= v_th, v cannot cross before its next input: the bound
          // below would find nothing to move.
          else if (relaxesBelow || !(wi > 0)) continue;
        } else {
          if (t > tl) {
            // relax() written out with locals (the same operations, so the same bits).
            const z = rec[r + Rec.ZS];
            const em = z === z ? z * invG : Math.exp(-(t - tl) / tauM);
            let v = vInf + (rec[r] - vInf) * em;
            if (!deltaE) {
              const ie = rec[r + Rec.IE];
              if (ie !== 0) {
                const ee = qE > 0 ? intPower(em, qE) : Math.exp(-(t - tl) / this.tauE);
                v += kE === kE ? ie * kE * (ee - em) : ie * ((t - tl) / tauM) * em;
                rec[r + Rec.IE] = ie * ee;
              }
            }
            if (!deltaI) {
              const ii = rec[r + Rec.II];
              if (ii !== 0) {
                const ei = qI > 0 ? intPower(em, qI) : Math.exp(-(t - tl) / this.tauI);
                v += kI === kI ? ii * kI * (ei - em) : ii * ((t - tl) / tauM) * em;
                rec[r + Rec.II] = ii * ei;
              }
            }
            rec[r] = v;
            rec[r + Rec.T_LAST] = t;
            rec[r + Rec.ZS] = G;
          }
          if (delta) {
            rec[r] += wi;
            if (rec[r] >= vTh) tNew = t;
          } else rec[r + cur] += wi;
        }
        // As input(): inhibition is lazy; crossingFrom's first exit (the relaxation bound) is taken here.
        if (tNew === Infinity && wi > 0) {
          // Did the crossing move before tPending? The relaxation bound (relaxationArg) says no when
          // t + tau_m ln X >= tPending, i.e. when X >= E = e^{(tPending - t)/tau_m} = zp / G: no logarithm, and zp is
          // computed once per queued time. E keeps a relative margin of 1e-12, so rounding can only send more inputs to
          // crossingFrom. Written out with locals, and X >= E tested as num >= E c (X = num / c): no division.
          const v0 = rec[r];
          if (!(rec[r + Rec.ZP] === rec[r + Rec.ZP])) rec[r + Rec.ZP] = Math.exp((tPending - this.epoch) / tauM);
          const E = rec[r + Rec.ZP] * invG * (1 + Tuned.BOUND_MARGIN);
          const ie0 = deltaE ? 0 : rec[r + Rec.IE];
          const ii0 = deltaI ? 0 : rec[r + Rec.II];
          const target = vTh - ((ie0 > 0 ? ie0 * peakE : 0) + (ii0 > 0 ? ii0 * peakI : 0));
          let moved = v0 >= target;
          if (!moved && vInf > target) {
            const c = vInf - target;
            const num = vInf - v0;
            if (num < E * c) {
              const a = (ie0 < 0 ? -ie0 * hypE : 0) + (ii0 < 0 ? -ii0 * hypI : 0);
              if (a === 0) moved = true;
              else {
                const b = v0 - vInf - a;
                moved = Math.sqrt(b * b - 4 * a * c) - b < 2 * c * E;
              }
            }
          }
          if (moved) {
            S[Reg.T0] = t;
            S[Reg.T_UPPER] = tPending;
            this.crossingFrom(i);
            tNew = S[Reg.T_CROSS];
          }
        }
      }
      if (tNew < tPending) {
        changed[n] = i;
        changedAt[n] = tNew;
        n++;
        rec[r + Rec.PT] = tNew;
        rec[r + Rec.ZP] = NaN;
      }
    }
    return n;
  }

  refractoryEnd(i: number): number {
    return this.rec[Rec.SIZE * i + Rec.REF_END];
  }

  /** The records (state, tLast, refEnd, zs, zp and the queued time), the exact flags and the epoch of zs and zp. */
  saveState(w: StateWriter): void {
    w.array('rec', this.rec);
    w.array('exact', this.exact);
    w.num('epoch', this.epoch);
  }

  loadState(r: StateReader): void {
    r.into('rec', this.rec);
    r.into('exact', this.exact);
    this.epoch = r.num('epoch');
  }

  setRefractoryEnd(i: number, t: number): void {
    this.rec[Rec.SIZE * i + Rec.REF_END] = t;
  }


  atThreshold(i: number, t: number): boolean {
    this.advance(i, t);
    const r = Rec.SIZE * i;
    if (this.rec[r + Rec.REF_END] > t) return false;
    const gap = this.vTh - this.rec[r];
    if (gap <= 0) return true;
    // Rounding slack only for predicted crossings; a check time is a strict lower bound of the crossing.
    if (!this.exact[i]) return false;
    if (gap <= THRESHOLD_SLACK_MV) return true;
    // A predicted crossing is here if v is within its own rounding of threshold: the distance v covers, at its
    // present rate of rise, in 4 ulps of t, plus 4 ulps of each term of the closed form that computed it (the PSP
    // term i K (e^{-h/tau_s} - e^{-h/tau_m}) cancels when tau_s is near tau_m: K = 1e3 at 0.1%). Else, when v rises by
    // more than the slack per ulp (a current of 1e12 mV) or its rounding exceeds the slack (1e9 mV with tau_s near
    // tau_m), the neuron is re-predicted one ulp later, where advance() cannot move v at all (e^{-h/tau_m} rounds to
    // 1 for h of an ulp), and so on without end (see nextTime).
    const v = this.rec[r];
    const ie = this.deltaE ? 0 : this.rec[r + Rec.IE];
    const ii = this.deltaI ? 0 : this.rec[r + Rec.II];
    const rise = ((this.vInf - v + ie + ii) / this.tauM) * t;
    const terms = Math.abs(this.vInf) + Math.abs(v) + Math.abs(ie) * this.magE + Math.abs(ii) * this.magI;
    return gap <= (rise + terms) * Tuned.ROUNDING_ULPS;
  }

  predict(i: number, t: number): number {
    this.advance(i, t);
    const refEnd = this.rec[Rec.SIZE * i + Rec.REF_END];
    const tq = this.crossing(i, refEnd > t ? refEnd : t, Infinity);
    this.queued(i, tq);
    return tq;
  }

  fire(i: number, t: number): number {
    this.advance(i, t);
    this.rec[Rec.SIZE * i] = this.vReset;
    this.rec[Rec.SIZE * i + Rec.REF_END] = t + this.tRef;
    const tq = this.crossing(i, this.rec[Rec.SIZE * i + Rec.REF_END], Infinity);
    this.queued(i, tq);
    return tq;
  }

  /** crossingFrom with its doubles as arguments and result, for the paths that run once per spike. */
  private crossing(i: number, t0: number, tUpper: number): number {
    S[Reg.T0] = t0;
    S[Reg.T_UPPER] = tUpper;
    this.crossingFrom(i);
    return S[Reg.T_CROSS];
  }

  /**
   * First crossing in (t0, tUpper] = (S[Reg.T0], S[Reg.T_UPPER]] of neuron i's free trajectory from its state at t0
   * (t0 >= tLast and t0 >= refEnd, so no refractory clamp lies after t0), into S[Reg.T_CROSS]; Infinity if none.
   * Leaves the state at t0 in S[Reg.V], S[Reg.IE], S[Reg.II].
   */
  private crossingFrom(i: number): void {
    const t0 = S[Reg.T0];
    const tUpper = S[Reg.T_UPPER];
    if (t0 > this.rec[Rec.SIZE * i + Rec.T_LAST]) this.project(i, t0, S);
    else {
      S[Reg.V] = this.rec[Rec.SIZE * i];
      S[Reg.IE] = this.deltaE ? 0 : this.rec[Rec.SIZE * i + Rec.IE];
      S[Reg.II] = this.deltaI ? 0 : this.rec[Rec.SIZE * i + Rec.II];
    }
    S[Reg.T_CROSS] = Infinity;
    if (S[Reg.V] >= this.vTh) S[Reg.T_CROSS] = t0;
    else if (tUpper > t0) {
      // Most inputs leave the crossing after tUpper: the relaxation bound alone (one logarithm) tells.
      this.relaxationArg();
      const X = S[Reg.BOUND];
      const h2 = X === 0 || X === Infinity ? X : this.tauM * Math.log(X);
      if (t0 + h2 < tUpper) this.boundOrSolve(i, h2);
    }
  }

  /**
   * The rest of crossingFrom, past the first bound h2 (kept apart so that the common path above stays small):
   * S[Reg.T_CROSS] becomes the crossing, or a check time before it, or stays Infinity. Never t0 itself: v(t0) is
   * below threshold, so the crossing is after t0, but where it is less than half an ulp after it (a steep rise: a
   * bias of 1e17 mV, a current of 1e7 mV) t0 + h rounds to t0, and queuing t0 again would look at the neuron at t0
   * forever; the next double after t0 is then the earliest time the crossing can be represented (nextTime).
   */
  private boundOrSolve(i: number, h2: number): void {
    const t0 = S[Reg.T0];
    const tUpper = S[Reg.T_UPPER];
    const v0 = S[Reg.V];
    const ie0 = S[Reg.IE];
    const ii0 = S[Reg.II];
    // No synaptic current (voltage jumps only, as in Brette's Benchmark 4): the relaxation bound is the closed-form
    // crossing of v_inf + (v0 - v_inf) e^{-h/tau_m} itself, one logarithm, nothing to solve. A crossing past the next
    // grid line is still queued as a check at the line below it, as check times are (below): every excitatory jump
    // brings the crossing earlier, and would otherwise reschedule the neuron.
    if (ie0 === 0 && ii0 === 0) {
      if (h2 === Infinity) return;
      const tx = t0 + h2;
      const tq = Math.floor(tx / this.checkGridMs) * this.checkGridMs;
      this.exact[i] = tq > t0 ? 0 : 1;
      S[Reg.T_CROSS] = tq > t0 ? tq : tx > t0 ? tx : nextTime(t0);
      return;
    }
    if (this.neverCrosses(v0, ie0, ii0)) return;
    // Far from threshold, queue a check at a cheap lower bound of the crossing instead of solving for it.
    this.linearBound();
    const h1 = S[Reg.BOUND];
    const hLow = h1 > h2 ? h1 : h2;
    if (hLow === Infinity || t0 + hLow >= tUpper) return;
    if (hLow > this.nearMs) {
      this.exact[i] = 0;
      const tb = t0 + hLow;
      const tq = Math.floor(tb / this.checkGridMs) * this.checkGridMs;
      S[Reg.T_CROSS] = tq > t0 ? tq : tb > t0 ? tb : nextTime(t0);
      return;
    }
    // Near: solve exactly on (hLow, hi]; no crossing lies before hLow. The search reaches the horizon (700 tau_max),
    // where every exponential underflows: exp-sum scales each level by its slowest term so that the far end's value
    // keeps its sign (it once read 0 there, took it for a root, and lost real crossings: see its header).
    const hHi = Math.min(tUpper - t0, this.horizon);
    const h = this.poly ? this.polyCrossing(v0, ie0, ii0, hLow, hHi) : this.expSumCrossing(v0, ie0, ii0, hLow, hHi);
    // Marked exact only when a crossing is returned: with none before tUpper the time queued before stays, and so
    // does its flag (a check time's strict test must not turn into a predicted crossing's slack).
    if (h === Infinity) return;
    this.exact[i] = 1;
    S[Reg.T_CROSS] = t0 + h > t0 ? t0 + h : nextTime(t0);
  }
}
