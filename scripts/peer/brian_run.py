#!/usr/bin/python3
"""
Runs one resolved chronoprop scenario in Brian2 and writes what peer-compare needs.

    /usr/bin/python3 scripts/peer/brian_run.py RESOLVED.json --target numpy|cython|cpp_standalone --out DIR
                     [--dt-ms 0.1] [--build-dir DIR] [--network DIR]

Writes DIR/timing.json and, per lif population, DIR/<pop>.ids.i32 and DIR/<pop>.t_ms.f64 (spikes, little-endian).

Timing (wall seconds, time.perf_counter):
- runtime targets (numpy, cython): build_s = creating the objects and connecting the synapses; prepare_s = a run of
  0 ms, which generates (and for cython compiles, or loads from the cache in ~/.cython) every code object;
  run_s = the timed run of duration_ms (wall), the number compared with chronoprop's simulate time;
  sim_cpu_s = its CPU time (time.process_time, all threads of the process).
- cpp_standalone (single thread): compile_s = code generation plus the C++ build (a full build when the build
  folder is new, incremental otherwise); run_s = the generated program's wall time (it also creates the synapses,
  initializes and writes results), run_cpu_s = its CPU time (getrusage of children); sim_cpu_s = the network run
  inside it as the program measures it (device._last_run_time: std::clock, i.e. CPU time, without OpenMP);
  build_s = run_cpu_s - sim_cpu_s (synapse creation, initialization, file output). Its wall simulation time is not
  measured separately (sim_s is null).
With --reps R (default 1) the timed part is repeated R times in the same process (runtime targets: net.restore()
of the state stored after the 0 ms run; cpp_standalone: the built program run again), without building, compiling
or importing again: sim_cpu_runs_s lists every repetition, and sim_cpu_s, run_s, run_cpu_s (and sim_s, build_s) are
those of the repetition of median simulate CPU time. The spikes written are the last repetition's (all are equal).
Use Debian's /usr/bin/python3 (python3-brian 2.5), not a pyenv python. Not part of npm test.
"""

import argparse
import json
import os
import resource
import sys
import time
import warnings

warnings.filterwarnings('ignore')

import numpy as np  # noqa: E402
import brian2 as b2  # noqa: E402
from brian2 import ms  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from brian_model import build, Unsupported  # noqa: E402


def median_rep(reps):
    """The repetition of median sim_cpu_s (the lower middle one for an even count), with every sim_cpu_s."""
    ordered = sorted(reps, key=lambda r: r['sim_cpu_s'])
    return dict(ordered[(len(ordered) - 1) // 2], sim_cpu_runs_s=[r['sim_cpu_s'] for r in reps])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('scenario')
    ap.add_argument('--target', choices=['numpy', 'cython', 'cpp_standalone'], required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--dt-ms', type=float, default=0.1)
    ap.add_argument('--build-dir', default=None, help='cpp_standalone project folder (default: OUT/standalone)')
    ap.add_argument('--network', default=None, help="chronoprop's exported network (same-network mode)")
    ap.add_argument('--reps', type=int, default=1, help='repeat the timed run this many times (median reported)')
    a = ap.parse_args()
    with open(a.scenario) as f:
        sc = json.load(f)
    os.makedirs(a.out, exist_ok=True)
    b2.BrianLogger.log_level_warn()
    standalone = a.target == 'cpp_standalone'
    if standalone:
        b2.set_device('cpp_standalone', build_on_run=False)
    else:
        b2.prefs.codegen.target = a.target
    b2.defaultclock.dt = a.dt_ms * ms
    b2.seed(int(sc['seed']))
    timing = {'target': a.target, 'dt_ms': a.dt_ms, 'brian2': b2.__version__, 'duration_ms': sc['duration_ms']}

    t0 = time.perf_counter()
    try:
        objects, monitors, synapses = build(sc, a.network)
    except Unsupported as e:
        print(f'error: brian_model cannot translate {e}', file=sys.stderr)
        sys.exit(2)
    net = b2.Network(objects)
    t1 = time.perf_counter()
    duration = sc['duration_ms'] * ms
    if standalone:
        net.run(duration)
        bdir = a.build_dir or os.path.join(a.out, 'standalone')
        t2 = time.perf_counter()
        b2.device.build(directory=bdir, compile=True, run=False, with_output=False)
        compile_s = time.perf_counter() - t2
        reps = []
        for _ in range(a.reps):
            t3 = time.perf_counter()
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            b2.device.run(bdir, with_output=False, run_args=[])
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t4 = time.perf_counter()
            run_cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
            sim_cpu = float(b2.device._last_run_time)
            reps.append(dict(run_s=t4 - t3, run_cpu_s=run_cpu, sim_s=None, sim_cpu_s=sim_cpu, build_s=run_cpu - sim_cpu))
        timing.update(compile_s=compile_s, **median_rep(reps))
    else:
        timing['build_s'] = t1 - t0
        net.run(0 * ms)
        t2 = time.perf_counter()
        timing['prepare_s'] = t2 - t1
        if a.reps > 1:
            net.store('start')
        reps = []
        for k in range(a.reps):
            if k > 0:
                net.restore('start')
            t2 = time.perf_counter()
            c2 = time.process_time()
            net.run(duration)
            c3 = time.process_time()
            t3 = time.perf_counter()
            reps.append(dict(run_s=t3 - t2, sim_s=t3 - t2, run_cpu_s=c3 - c2, sim_cpu_s=c3 - c2))
        timing.update(median_rep(reps))
    timing['synapses'] = int(sum(len(s) for s in synapses.values()))
    timing['spikes'] = {}
    for name, mon in monitors.items():
        ids = np.asarray(mon.i[:], dtype='<i4')
        ts = np.asarray(mon.t[:] / ms, dtype='<f8')
        ids.tofile(os.path.join(a.out, f'{name}.ids.i32'))
        ts.tofile(os.path.join(a.out, f'{name}.t_ms.f64'))
        timing['spikes'][name] = int(len(ids))
    with open(os.path.join(a.out, 'timing.json'), 'w') as f:
        json.dump(timing, f, indent=2)
    print(json.dumps(timing))


if __name__ == '__main__':
    main()
