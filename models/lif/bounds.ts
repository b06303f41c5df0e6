/**
 * Lower bounds on a LIF neuron's time to threshold, none of which solves anything: neverCrosses (v provably stays
 * below), relaxationArg (the membrane relaxes exactly, each PSP at most its peak: one logarithm) and linearBound
 * (each part rises at most along its initial slope: no exponential). Far from threshold the group queues a check time
 * from them instead of a crossing (models/lif.ts, header).
 */
import { LifRelaxation } from './relax.js';
import { Reg, S } from './layout.js';

export class LifBounds extends LifRelaxation {
  /**
   * True if v provably never reaches v_th: v(h) - v_th = c0 + a_m e^{-h/tau_m} + a_e e^{-h/tau_e} + a_i e^{-h/tau_i}
   * is at most c0 plus the positive parts of the a's (each exponential is <= 1). Skipped when tau_s = tau_m.
   */
  protected neverCrosses(v0: number, ie0: number, ii0: number): boolean {
    if (this.kE !== this.kE || this.kI !== this.kI) return false;
    const ae = ie0 * this.kE;
    const ai = ii0 * this.kI;
    const am = v0 - this.vInf - ae - ai;
    let upper = this.vInf - this.vTh;
    if (ae > 0) upper += ae;
    if (ai > 0) upper += ai;
    if (am > 0) upper += am;
    return upper < 0;
  }

  /**
   * Lower bounds on the time to threshold; crossingFrom takes the larger of the two. This one is tighter far from
   * threshold: the membrane relaxes exactly and each depolarizing PSP is at most its peak, so with z = e^{-h/tau_m}
   * v(h) <= v_inf + (v0 - v_inf) z + P - a (z - z^2),  P = sum_s max(I_s, 0) peak_s,  a = sum_s max(-I_s, 0) H_s.
   * The last term keeps hyperpolarizing currents when tau_m / tau_s >= 2: their PSP is
   * I_s K_s (e^{-h/tau_s} - z) <= -|I_s| H_s (z - z^2) with H_s = tau_s / (tau_m - tau_s), since e^{-h/tau_s} <= z^2
   * (exactly z^2 for CUBA's inhibition); other hyperpolarizing PSPs are bounded by 0 (H_s = 0). The bound is convex
   * in z: its first crossing is the smaller root of a quadratic, one square root and one logarithm.
   * The bound's time is tau_m ln X, and this computes X for the state (v0, ie0, ii0) = S[0..2], into S[Reg.BOUND]:
   * X itself (>= 1), or 0 (the bound is at threshold now), or Infinity (it never gets there, nor does v). inputMany
   * asks only "is X >= E?" and writes the same test out with locals, trying first the bound without the
   * hyperpolarizing term (no square root), which crosses no later.
   */
  protected relaxationArg(): void {
    const v0 = S[Reg.V];
    const ie0 = S[Reg.IE];
    const ii0 = S[Reg.II];
    const P = (ie0 > 0 ? ie0 * this.peakE : 0) + (ii0 > 0 ? ii0 * this.peakI : 0);
    const target = this.vTh - P; // the membrane part must reach this
    if (v0 >= target) S[Reg.BOUND] = 0;
    else if (this.vInf <= target) S[Reg.BOUND] = Infinity;
    else {
      const c = this.vInf - target;
      const weak = (this.vInf - v0) / c;
      const a = (ie0 < 0 ? -ie0 * this.hypE : 0) + (ii0 < 0 ? -ii0 * this.hypI : 0);
      if (a === 0) S[Reg.BOUND] = weak;
      else {
        // Smaller root of a z^2 + b z + c (negative at z = 1, positive at 0), in its cancellation-free form.
        const b = v0 - this.vInf - a;
        S[Reg.BOUND] = (Math.sqrt(b * b - 4 * a * c) - b) / (2 * c);
      }
    }
  }

  /**
   * The other bound, with no exponential: v(h) = v_inf + (v0 - v_inf) e^{-h/tau_m} + PSPs, where each future PSP of
   * a current I_s starts at 0 and has slope (I_s e^{-h/tau_s} - PSP)/tau_m <= I_s / tau_m. So
   * v(h) <= v0 + min(A h / tau_m, A) + sum_s max(I_s, 0) min(h, tau_s) / tau_m with A = max(v_inf - v0, 0): the
   * membrane rises at most along its tangent up to v_inf, a depolarizing PSP at most at its initial slope for at most
   * tau_s, and hyperpolarizing PSPs only lower v. The bound is piecewise linear and concave; solve it for v_th.
   * For the state (v0, ie0, ii0) = S[0..2]; the time into S[Reg.BOUND].
   */
  protected linearBound(): void {
    const v0 = S[Reg.V];
    const ie0 = S[Reg.IE];
    const ii0 = S[Reg.II];
    const A = this.vInf > v0 ? this.vInf - v0 : 0;
    const ie = ie0 > 0 ? ie0 : 0;
    const ii = ii0 > 0 ? ii0 : 0;
    // Segments end at tau_m (membrane cap), tau_e and tau_i (PSP caps); slopes drop there.
    let slope = (A + ie + ii) / this.tauM;
    let h = 0;
    let gap = this.vTh - v0;
    S[Reg.BOUND] = Infinity;
    for (let seg = 0; seg < 3; seg++) {
      if (!(slope > 0)) return;
      let end = Infinity;
      let drop = 0;
      if (A > 0 && this.tauM > h) end = this.tauM;
      if (ie > 0 && this.tauE > h && this.tauE <= end) end = this.tauE;
      if (ii > 0 && this.tauI > h && this.tauI <= end) end = this.tauI;
      if (gap <= slope * (end - h)) {
        S[Reg.BOUND] = h + gap / slope;
        return;
      }
      gap -= slope * (end - h);
      if (end === this.tauM && A > 0) drop += A / this.tauM;
      if (end === this.tauE && ie > 0) drop += ie / this.tauM;
      if (end === this.tauI && ii > 0) drop += ii / this.tauM;
      slope -= drop;
      h = end;
    }
    if (slope > 0) S[Reg.BOUND] = h + gap / slope;
  }
}
