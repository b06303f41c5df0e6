/**
 * phi(mu, sigma) of a `lif` population, tabulated lazily on a grid (0.05 mV in mu, 0.05 mV in sigma) and
 * interpolated bilinearly: the rate-coded network evaluates it for every neuron at every step, and one Siegert
 * integral costs about a microsecond. Grid cells are computed on first use; values outside the grid are computed
 * directly. Rates per ms. The Fourcaud-Brunel correction uses the excitatory synaptic time constant.
 */
import { lifRateNoiseFree, lifRateSiegert } from './lif-transfer.js';

const DMU = 0.05;
const DSIG = 0.05;
const NMU = 4000; // 200 mV of mu
const NSIG = 800; // 40 mV of sigma

export class TransferTable {
  private readonly values = new Float64Array(NMU * NSIG).fill(NaN);
  private readonly mu0: number;
  private readonly tauSyn: number;

  constructor(private readonly p: Record<string, number>, private readonly transfer: 'siegert' | 'noise_free') {
    this.mu0 = p.v_th_mv - 100;
    this.tauSyn = p.tau_syn_exc_ms;
  }

  private exact(mu: number, sigma: number): number {
    return this.transfer === 'noise_free' ? lifRateNoiseFree(this.p as never, mu) : lifRateSiegert(this.p as never, mu, sigma, this.tauSyn);
  }

  private cell(a: number, b: number): number {
    const k = a * NSIG + b;
    let v = this.values[k];
    if (v !== v) v = this.values[k] = this.exact(this.mu0 + a * DMU, b * DSIG);
    return v;
  }

  rate(mu: number, sigma: number): number {
    if (this.transfer === 'noise_free') return lifRateNoiseFree(this.p as never, mu);
    const fa = (mu - this.mu0) / DMU;
    const fb = sigma / DSIG;
    const a = Math.floor(fa);
    const b = Math.floor(fb);
    if (a < 0 || a >= NMU - 1 || b >= NSIG - 1) return this.exact(mu, sigma);
    const u = fa - a;
    const v = fb - b;
    return (1 - u) * ((1 - v) * this.cell(a, b) + v * this.cell(a, b + 1)) + u * ((1 - v) * this.cell(a + 1, b) + v * this.cell(a + 1, b + 1));
  }
}
