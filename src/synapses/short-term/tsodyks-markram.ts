/**
 * `tsodyks_markram`: short-term depression and facilitation (Tsodyks & Markram 1997; Markram, Wang & Tsodyks 1998),
 * evaluated exactly at each presynaptic arrival. Resources x (1 after a long silence) and utilization u (0) evolve
 * between arrivals as
 *
 *     dx/dt = (1 - x) / tau_rec,     du/dt = -u / tau_fac
 *
 * and at an arrival u jumps by U (1 - u), the synapse delivers weight * u * x, and x loses u x. With h the time since
 * the previous arrival, the values at arrival n + 1 are the closed form of that (NEST's tsodyks2_synapse):
 *
 *     x_{n+1} = 1 + (x_n - u_n x_n - 1) e^{-h / tau_rec}
 *     u_{n+1} = U + u_n (1 - U) e^{-h / tau_fac}            (u_{n+1} = U when tau_fac = 0)
 *     delivered = weight * u_{n+1} * x_{n+1}
 *
 * so the first arrival after a long silence delivers U * weight. A periodic train of period T settles at
 * u* = U / (1 - (1 - U) e^{-T/tau_fac}) and x* = (1 - e^{-T/tau_rec}) / (1 - (1 - u*) e^{-T/tau_rec}).
 *
 * | name       | unit | default | meaning                                                  |
 * |------------|------|---------|----------------------------------------------------------|
 * | U          | 1    | 0.5     | utilization: the share of resources a spike uses at rest  |
 * | tau_rec_ms | ms   | 800     | recovery of resources (depression)                        |
 * | tau_fac_ms | ms   | 0       | decay of utilization (facilitation; 0: none)             |
 *
 * Defaults: NEST's tsodyks2_synapse (a depressing synapse). The state depends on the presynaptic train only, so it is
 * kept per delay group (the synapses of one presynaptic neuron with one delay see the same arrivals); a projection's
 * parameters are one set for all its synapses. The efficacy scales what is delivered, not the stored weight: a
 * plasticity rule on the same projection (STDP) changes the weight first, at the same arrival, and the scaled new
 * weight is delivered.
 */
import type { ShortTermHook } from '../projection.js';
import type { TsodyksMarkramSpec } from './spec.js';
import type { StateReader, StateWriter } from '../../kernel/state-io.js';

export class TsodyksMarkram implements ShortTermHook {
  readonly name = 'tsodyks_markram';
  /** Per delay group: u and x just after its last arrival, and that arrival's time. */
  readonly u: Float64Array;
  readonly x: Float64Array;
  readonly tLast: Float64Array;
  private readonly U: number;
  private readonly invRec: number;
  /** 1 / tau_fac, or Infinity without facilitation (tau_fac = 0: u = U at every arrival). */
  private readonly invFac: number;

  constructor(nGroups: number, spec: TsodyksMarkramSpec) {
    this.u = new Float64Array(nGroups);
    this.x = new Float64Array(nGroups).fill(1);
    this.tLast = new Float64Array(nGroups).fill(-Infinity);
    this.U = spec.U;
    this.invRec = 1 / spec.tau_rec_ms;
    this.invFac = spec.tau_fac_ms > 0 ? 1 / spec.tau_fac_ms : Infinity;
  }

  /** u, x and the last arrival of every group (checkpoints). */
  saveState(w: StateWriter): void {
    w.array('u', this.u);
    w.array('x', this.x);
    w.array('tLast', this.tLast);
  }

  loadState(r: StateReader): void {
    r.into('u', this.u);
    r.into('x', this.x);
    r.into('tLast', this.tLast);
  }

  /** Group g's arrival at t (>= its last): updates u and x as in the header and returns u x. */
  efficacy(g: number, t: number): number {
    const h = t - this.tLast[g];
    const u0 = this.u[g];
    const x0 = this.x[g];
    // Without facilitation u is U at every arrival (also for simultaneous ones, where -h / tau_fac would be 0 / 0).
    const fac = this.invFac === Infinity ? 0 : Math.exp(-h * this.invFac);
    const x = 1 + (x0 - u0 * x0 - 1) * Math.exp(-h * this.invRec);
    const u = this.U + u0 * (1 - this.U) * fac;
    this.u[g] = u;
    this.x[g] = x;
    this.tLast[g] = t;
    return u * x;
  }
}
