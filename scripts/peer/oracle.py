#!/usr/bin/python3
"""
An independent reference for the single-neuron case of the accuracy comparison (scripts/peer/accuracy.ts): the
spike times of the first K neurons of a resolved scenario, found by brute force on the closed-form membrane
equation, with none of chronoprop's code (no root isolation, no bounds, no event queue).

    /usr/bin/python3 scripts/peer/oracle.py SCENARIO.json OUT.json [--neurons K] [--grid-ms 0.002]

The scenario is the `single` case of accuracy-cases.ts: a lif population `neuron` with exponential currents, fed
through `pairs` projections from spike_source populations (no delay). Between two inputs, with
u = v - v_rest - i_bias, the state after a time s is

    u(s) = u0 e^{-s/tau_m} + sum_r i_r0 tau_r / (tau_r - tau_m) (e^{-s/tau_r} - e^{-s/tau_m}),   i_r(s) = i_r0 e^{-s/tau_r}

The first crossing of v_th in each such interval is found by sampling u on a grid of at most grid_ms (numpy), then
bisecting the first bracketing pair to the resolution of a double. A spike resets v to v_reset and clamps it there
for t_ref, while the currents keep decaying and receiving inputs. A crossing that rises above threshold and falls
back within one grid step (a graze of less than about 1e-6 mV) can be missed; the comparison reports such misses as
unmatched spikes rather than hiding them.
Writes {"neurons": K, "spikes_ms": [[t, ...] per neuron]}. Use Debian's /usr/bin/python3. Not part of npm test.
"""

import argparse
import json

import numpy as np


def inputs_of(sc, post_pop, k_max):
    """Per neuron < k_max: sorted (time, d_exc, d_inh) with coincident inputs summed."""
    pops = {p['name']: p for p in sc['populations']}
    per = [dict() for _ in range(k_max)]
    for pr in sc['projections']:
        if pr['to'] != post_pop:
            continue
        if pr['connect']['rule'] != 'pairs' or pr.get('delay_ms', 0) != 0:
            raise SystemExit(f"oracle: projection {pr['name']} must be 'pairs' with no delay")
        times = pops[pr['from']]['params']['spike_times_ms']
        w = float(pr['weight_mv'])
        slot = 0 if pr['receptor'] == 'exc' else 1
        for pre, post in zip(pr['connect']['pre'], pr['connect']['post']):
            if post >= k_max:
                continue
            for t in times[pre]:
                d = per[post].setdefault(t, [0.0, 0.0])
                d[slot] += w
    return [sorted((t, d[0], d[1]) for t, d in m.items()) for m in per]


class Neuron:
    def __init__(self, p):
        self.tm, self.te, self.ti = p['tau_m_ms'], p['tau_syn_exc_ms'], p['tau_syn_inh_ms']
        self.v_inf = p['v_rest_mv'] + p['i_bias_mv']
        self.th = p['v_th_mv'] - self.v_inf
        self.reset = p['v_reset_mv'] - self.v_inf
        self.t_ref = p['t_ref_ms']
        self.ke = self.te / (self.te - self.tm)
        self.ki = self.ti / (self.ti - self.tm)

    def u(self, s, u0, ie, ii):
        em = np.exp(-s / self.tm)
        return (u0 * em + ie * self.ke * (np.exp(-s / self.te) - em) + ii * self.ki * (np.exp(-s / self.ti) - em))

    def crossing(self, u0, ie, ii, h, grid_ms):
        """First s in (0, h] with u(s) >= th, or None."""
        m = max(4, int(np.ceil(h / grid_ms)))
        s = np.linspace(0.0, h, m + 1)
        above = np.nonzero(self.u(s, u0, ie, ii) >= self.th)[0]
        if len(above) == 0:
            return None
        k = above[0]
        if k == 0:
            return 0.0
        lo, hi = s[k - 1], s[k]
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if mid <= lo or mid >= hi:
                break
            if self.u(mid, u0, ie, ii) >= self.th:
                hi = mid
            else:
                lo = mid
        return hi


def simulate(nrn, events, duration, grid_ms):
    """Spike times of one neuron: a loop over the intervals between inputs."""
    out = []
    t, u, ie, ii = 0.0, 0.0, 0.0, 0.0
    ref_end = -1.0
    ev = events + [(duration, 0.0, 0.0)]
    for t_next, de, di in ev:
        while t < t_next:
            if ref_end > t:  # clamped: only the currents move
                stop = min(ref_end, t_next)
                ie *= np.exp(-(stop - t) / nrn.te)
                ii *= np.exp(-(stop - t) / nrn.ti)
                u, t = nrn.reset, stop
                continue
            h = t_next - t
            s = nrn.crossing(u, ie, ii, h, grid_ms)
            if s is None:
                u = float(nrn.u(h, u, ie, ii))
                ie *= np.exp(-h / nrn.te)
                ii *= np.exp(-h / nrn.ti)
                t = t_next
            else:
                ts = t + s
                out.append(ts)
                ie *= np.exp(-s / nrn.te)
                ii *= np.exp(-s / nrn.ti)
                u, t, ref_end = nrn.reset, ts, ts + nrn.t_ref
        if t_next < duration:
            ie += de
            ii += di
    return [x for x in out if x < duration]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('scenario')
    ap.add_argument('out')
    ap.add_argument('--neurons', type=int, default=50)
    ap.add_argument('--grid-ms', type=float, default=0.002)
    ap.add_argument('--population', default='neuron')
    a = ap.parse_args()
    with open(a.scenario) as f:
        sc = json.load(f)
    pop = next(p for p in sc['populations'] if p['name'] == a.population)
    k = min(a.neurons, pop['size'])
    nrn = Neuron(pop['params'])
    ins = inputs_of(sc, a.population, k)
    spikes = [simulate(nrn, ins[i], float(sc['duration_ms']), a.grid_ms) for i in range(k)]
    with open(a.out, 'w') as f:
        json.dump({'neurons': k, 'grid_ms': a.grid_ms, 'spikes_ms': spikes}, f)
    print(json.dumps({'neurons': k, 'spikes': sum(len(s) for s in spikes)}))


if __name__ == '__main__':
    main()
