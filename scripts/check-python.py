#!/usr/bin/python3
"""Opens a chronoprop results folder from Python and checks the binary files against the CSV tables.

    /usr/bin/python3 scripts/check-python.py results/<run> [more run folders...]

Needs h5py and numpy (Debian: apt-get install -y python3-h5py python3-numpy; use /usr/bin/python3). Not part of
npm test or CI: it is the cross-language check that h5py and numpy read spikes.h5 and the .npy files as we mean
them. Every value must be equal to the CSV's bit for bit (the CSVs print floats in shortest round-trip form).
Exit status 0 when every check passed, 1 otherwise.
"""
import glob
import os
import sys

import h5py
import numpy as np

from result_checks import Checks, read_csv, text

check = Checks()


def same(a, b):
    return a.shape == b.shape and np.array_equal(a, b)


def check_spikes(run):
    path = os.path.join(run, "spikes.h5")
    csvs = sorted(glob.glob(os.path.join(run, "spikes", "*.csv")))
    if not csvs:
        return
    check(os.path.exists(path), f"{run}: spikes.h5 exists")
    with h5py.File(path, "r") as f:
        check(int(f.attrs["magic"]) == 0x0A7A, f"{path}: magic attribute")
        for c in csvs:
            pop = os.path.basename(c)[:-4]
            grp = f["spikes"][pop]
            ids, ts = grp["node_ids"], grp["timestamps"]
            sorting = text(grp.attrs["sorting"])
            units = text(ts.attrs["units"])
            check(ids.dtype == np.uint64, f"{pop}: node_ids is uint64 (got {ids.dtype})")
            check(ts.dtype == np.float64, f"{pop}: timestamps is float64 (got {ts.dtype})")
            check(sorting == "by_time", f"{pop}: sorting attribute is by_time (got {sorting!r})")
            check(units == "ms", f"{pop}: timestamps units is ms (got {units!r})")
            table = read_csv(c)
            check(same(ids[:].astype(np.float64), table["neuron"]), f"{pop}: node_ids equal spikes/{pop}.csv")
            check(same(ts[:], table["t_ms"]), f"{pop}: timestamps equal spikes/{pop}.csv")
            check(bool(np.all(np.diff(ts[:]) >= 0)), f"{pop}: timestamps sorted by time")
            print(f"  spikes.h5 /spikes/{pop}: {len(ts)} spikes")


def check_state(run):
    for c in sorted(glob.glob(os.path.join(run, "state", "*.csv"))):
        a = np.load(c[:-4] + ".npy")
        t = read_csv(c)
        n = a["neuron"].shape[1]
        check(same(np.repeat(a["t_ms"], n), t["t_ms"]), f"{c}: t_ms")
        check(same(a["neuron"].reshape(-1).astype(np.float64), t["neuron"]), f"{c}: neuron")
        for var in [k for k in t if k not in ("t_ms", "neuron")]:
            check(same(a[var].reshape(-1), t[var]), f"{c}: {var}")
        print(f"  {os.path.relpath(c[:-4], run)}.npy: {a.shape[0]} samples x {n} neurons, fields {a.dtype.names}")


def check_weights(run):
    for c in sorted(glob.glob(os.path.join(run, "weights", "*.csv"))):
        a = np.load(c[:-4] + ".npy")
        t = read_csv(c)
        if c.endswith(".series.csv"):
            s = a["weight_mv"].shape[1]
            check(same(np.repeat(a["t_ms"], s), t["t_ms"]), f"{c}: t_ms")
            check(same(a["weight_mv"].reshape(-1), t["weight_mv"]), f"{c}: weight_mv")
            final = np.load(c[: -len(".series.csv")] + ".npy")
            check(same(np.tile(final["pre"], a.shape[0]).astype(np.float64), t["pre"]), f"{c}: synapse order = weights/<projection>.npy")
            print(f"  {os.path.relpath(c[:-4], run)}.npy: {a.shape[0]} snapshots x {s} synapses")
        else:
            for k in ("pre", "post", "weight_mv"):
                check(same(a[k].astype(np.float64), t[k]), f"{c}: {k}")
            print(f"  {os.path.relpath(c[:-4], run)}.npy: {a.shape[0]} synapses, fields {a.dtype.names}")


def main(runs):
    for run in runs:
        print(run)
        check_spikes(run)
        check_state(run)
        check_weights(run)
    print(f"{check.count - len(check.failures)} passed, {len(check.failures)} failed")
    return 1 if check.failures or check.count == 0 else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
