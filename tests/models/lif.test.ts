/**
 * The exact LIF against closed-form solutions: constant drive, single exponential PSCs (tau_s = tau_m / 2 gives a
 * quadratic in z = e^{-t/tau_m}; tau_s = tau_m gives Lambert W), refractoriness with currents that keep decaying,
 * superposition of many inputs, lazy inhibition, delta jumps and simultaneous inputs.
 */
import { describe, expect, it } from 'vitest';
import { runNet, spikeTimes, oneNeuron } from '../helpers.js';

const base = { tau_m_ms: 20, v_rest_mv: -70, v_reset_mv: -70, v_th_mv: -55, t_ref_ms: 2, tau_syn_exc_ms: 5, tau_syn_inh_ms: 10 };

/** Principal branch of Lambert W by Halley iteration (independent of the simulator's root finder). */
function lambertW0(x: number): number {
  let w = x < 1 ? x : Math.log(x);
  for (let k = 0; k < 100; k++) {
    const e = Math.exp(w);
    const f = w * e - x;
    const step = f / (e * (w + 1) - ((w + 2) * f) / (2 * w + 2));
    w -= step;
    if (Math.abs(step) < 1e-16) break;
  }
  return w;
}

describe('lif: constant drive', () => {
  it('fires periodically at t_ref + tau_m ln((v_reset - v_inf) / (v_th - v_inf))', () => {
    const p = { ...base, i_bias_mv: 25, v_th_mv: -50 }; // v_inf = -45
    const net = runNet(oneNeuron({ params: p, duration_ms: 500 }));
    const ts = spikeTimes(net, 'n');
    const first = 20 * Math.log(25 / 5);
    const isi = 2 + 20 * Math.log(25 / 5);
    expect(ts.length).toBe(Math.floor((500 - first) / isi) + 1);
    ts.forEach((t, k) => expect(Math.abs(t - (first + k * isi))).toBeLessThan(1e-9));
  });

  it('never fires when v_inf is below threshold', () => {
    const net = runNet(oneNeuron({ params: { ...base, i_bias_mv: 14.999 }, duration_ms: 2000 }));
    expect(spikeTimes(net, 'n')).toEqual([]);
  });
});

describe('lif: exponential synapses', () => {
  it('tau_s = tau_m / 2: crossing at -tau_m ln z with z the larger root of w z^2 - w z - (v_rest - v_th) = 0', () => {
    const w = 80;
    const net = runNet(oneNeuron({ params: { ...base, tau_syn_exc_ms: 10 }, exc: { times: [1], w }, duration_ms: 50 }));
    const z = (1 + Math.sqrt(1 + (4 * (-70 + 55)) / w)) / 2;
    const ts = spikeTimes(net, 'n');
    expect(ts.length).toBe(1);
    expect(Math.abs(ts[0] - (1 - 20 * Math.log(z)))).toBeLessThan(1e-9);
  });

  it('tau_s = tau_m: crossing where (h/tau) e^{-h/tau} = (v_th - v_rest) / w, i.e. h = -tau W0(-c)', () => {
    const w = 60;
    const net = runNet(oneNeuron({ params: { ...base, tau_syn_exc_ms: 20 }, exc: { times: [3], w }, duration_ms: 50 }));
    const c = 15 / w;
    const ts = spikeTimes(net, 'n');
    expect(ts.length).toBe(1);
    expect(Math.abs(ts[0] - (3 - 20 * lambertW0(-c)))).toBeLessThan(1e-9);
  });

  it('subthreshold trajectory equals the superposition of PSPs (linear system, closed form)', () => {
    const exc = [1, 2.5, 7, 7, 13.25];
    const inh = [4, 9.5];
    const sc = oneNeuron({ params: base, exc: { times: exc, w: 3 }, inh: { times: inh, w: -2 }, duration_ms: 40 });
    sc.record = { state: [{ population: 'n', neurons: [0], vars: ['v_mv', 'i_exc_mv', 'i_inh_mv'], every_ms: 0.25 }] };
    const net = runNet(sc);
    const rec = net.state[0];
    const times = rec.times();
    const [vm, iExc] = [rec.trace(0, 0), rec.trace(0, 1)];
    const psp = (h: number, w: number, ts: number) => (h <= 0 ? 0 : w * (ts / (ts - 20)) * (Math.exp(-h / ts) - Math.exp(-h / 20)));
    for (let k = 0; k < times.length; k++) {
      const t = times[k];
      let v = -70;
      let ie = 0;
      for (const s of exc) {
        v += psp(t - s, 3, 5);
        if (t >= s) ie += 3 * Math.exp(-(t - s) / 5);
      }
      for (const s of inh) v += psp(t - s, -2, 10);
      expect(Math.abs(vm[k] - v)).toBeLessThan(1e-10);
      expect(Math.abs(iExc[k] - ie)).toBeLessThan(1e-12);
    }
    expect(spikeTimes(net, 'n')).toEqual([]);
  });

  it('refractory: v held at reset while currents keep decaying and accumulating', () => {
    // A large input fires the neuron; a second arrives during the refractory period and is integrated after it.
    const p = { ...base, t_ref_ms: 5 };
    const sc = oneNeuron({ params: p, exc: { times: [0, 3], w: 200 }, duration_ms: 30 });
    sc.record = { state: [{ population: 'n', neurons: [0], vars: ['v_mv', 'i_exc_mv'], times_ms: [4, 4.9, 6, 8] }] };
    const net = runNet(sc);
    const ts = spikeTimes(net, 'n');
    const t1 = ts[0];
    expect(t1).toBeGreaterThan(0);
    expect(t1).toBeLessThan(3); // so the input at 3 ms falls in [t1, t1 + 5)
    const rec = net.state[0];
    const times = rec.times();
    const [vm, iExc] = [rec.trace(0, 0), rec.trace(0, 1)];
    const current = (t: number) => 200 * Math.exp(-t / 5) + (t >= 3 ? 200 * Math.exp(-(t - 3) / 5) : 0);
    const refEnd = t1 + 5;
    for (let k = 0; k < times.length; k++) {
      const t = times[k];
      expect(Math.abs(iExc[k] - current(t))).toBeLessThan(1e-9);
      if (t <= refEnd) expect(vm[k]).toBe(-70);
      else {
        const h = t - refEnd;
        const K = 5 / (5 - 20);
        const v = -70 + current(refEnd) * K * (Math.exp(-h / 5) - Math.exp(-h / 20));
        if (ts.length === 1 || t < ts[1]) expect(Math.abs(vm[k] - v)).toBeLessThan(1e-9);
      }
    }
    // After refractoriness the accumulated current drives a second spike; its time solves the closed form.
    expect(ts.length).toBeGreaterThanOrEqual(2);
    const f = (t: number) => -70 + current(refEnd) * (5 / -15) * (Math.exp(-(t - refEnd) / 5) - Math.exp(-(t - refEnd) / 20)) + 55;
    expect(Math.abs(f(ts[1]))).toBeLessThan(1e-9);
    expect(f(ts[1] - 1e-6)).toBeLessThan(0);
  });
});

describe('lif: inhibition and lazy re-prediction', () => {
  it('inhibition delays a crossing driven by a suprathreshold bias to the brute-force time', () => {
    // v_inf = -45 > v_th = -50; inhibitory PSCs at 5 and 20 ms push the first crossing later.
    const p = { ...base, i_bias_mv: 25, v_th_mv: -50, tau_syn_inh_ms: 10 };
    const inh = [5, 20];
    const net = runNet(oneNeuron({ params: p, inh: { times: inh, w: -30 }, duration_ms: 200 }));
    const v = (t: number) => {
      let x = -45 + (-70 + 45) * Math.exp(-t / 20);
      for (const s of inh) if (t > s) x += -30 * (10 / (10 - 20)) * (Math.exp(-(t - s) / 10) - Math.exp(-(t - s) / 20));
      return x;
    };
    // Brute force: scan then bisect the superposition for the first crossing of -50.
    let t = 0;
    while (v(t) < -50) t += 1e-3;
    let lo = t - 1e-3;
    let hi = t;
    for (let k = 0; k < 100; k++) {
      const mid = (lo + hi) / 2;
      if (v(mid) >= -50) hi = mid;
      else lo = mid;
    }
    const ts = spikeTimes(net, 'n');
    expect(hi).toBeGreaterThan(20 * Math.log(5)); // later than without inhibition
    expect(Math.abs(ts[0] - hi)).toBeLessThan(1e-9);
  });
});

describe('lif: delta synapses', () => {
  const p = { ...base, tau_syn_exc_ms: 0, tau_syn_inh_ms: 0 };
  it('a jump that reaches threshold fires at the arrival time itself', () => {
    const net = runNet(oneNeuron({ params: p, exc: { times: [10], w: 15, delay: 1.5 }, duration_ms: 30 }));
    expect(spikeTimes(net, 'n')).toEqual([11.5]);
  });

  it('jumps arriving during the refractory period are discarded', () => {
    const sc = oneNeuron({ params: { ...p, t_ref_ms: 5 }, exc: { times: [10, 12, 16], w: 15 }, duration_ms: 30 });
    const net = runNet(sc);
    expect(spikeTimes(net, 'n')).toEqual([10, 16]);
  });

  it('simultaneous inputs are summed before the threshold test, whatever their queue order', () => {
    // Excitation alone would fire; inhibition at the same instant cancels it. Deliveries precede threshold events.
    for (const order of ['exc-first', 'inh-first']) {
      const sc = oneNeuron({ params: p, exc: { times: [10], w: 16 }, inh: { times: [10], w: -5 }, duration_ms: 30 });
      if (order === 'inh-first') sc.projections!.reverse();
      const net = runNet(sc);
      expect(spikeTimes(net, 'n')).toEqual([]);
    }
  });

  it('a suprathreshold bias fires at tau_m ln((v0 - v_inf)/(v_th - v_inf)) after a jump: one log per input', () => {
    const q = { ...p, i_bias_mv: 20, v_th_mv: -52 }; // v_inf = -50
    const net = runNet(oneNeuron({ params: q, inh: { times: [5], w: -4 }, duration_ms: 200 }));
    const v5 = -50 + (-70 + 50) * Math.exp(-5 / 20) - 4;
    const expected = 5 + 20 * Math.log((v5 + 50) / (-52 + 50));
    expect(Math.abs(spikeTimes(net, 'n')[0] - expected)).toBeLessThan(1e-9);
  });
});
