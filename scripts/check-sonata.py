#!/usr/bin/python3
"""Opens a SONATA export of chronoprop from Python (h5py, as NEST's and bmtk's readers do) and checks it against a
results folder of the same scenario and seed.

    node dist/chronoprop.js run S --seed N [--set ...] -o RUN        (record the final weights: record.weights)
    node dist/chronoprop.js export S --seed N [--set ...] --sonata DIR
    /usr/bin/python3 scripts/check-sonata.py DIR RUN

Needs h5py and numpy (Debian: apt-get install -y python3-h5py python3-numpy). Not part of npm test or CI. Checks:
the root attributes, each node population's size and node ids; for each projection with weights/<name>.csv in RUN,
the edges (source, target, weight_mv) equal the table as multisets, bit for bit, and syn_weight is weight_mv x
C_m / tau_m (iaf_psc_exp_ps) or weight_mv (iaf_psc_delta); each input spike file equals RUN's spikes/<source>.csv.
Exit status 0 when every check passed, 1 otherwise.
"""
import json
import os
import sys

import h5py
import numpy as np

from result_checks import Checks, read_csv, text

check = Checks()


def node_types(export):
    with open(os.path.join(export, "network", "node_types.csv")) as f:
        rows = [line.split() for line in f.read().strip().split("\n")]
    return {r[4]: dict(zip(rows[0], r)) for r in rows[1:]}


def main(export, run):
    types = node_types(export)
    circuit = json.load(open(os.path.join(export, "circuit_config.json")))
    c_m = circuit["chronoprop"]["c_m_pf"]
    with h5py.File(os.path.join(export, "network", "nodes.h5"), "r") as f:
        check(int(f.attrs["magic"]) == 0x0A7A, "nodes.h5: magic attribute")
        for pop, grp in f["nodes"].items():
            n = len(grp["node_type_id"])
            check(np.array_equal(grp["node_group_index"][:], np.arange(n)), f"nodes/{pop}: node_group_index is 0..n-1")
            check(int(grp["node_type_id"][0]) == int(types[pop]["node_type_id"]), f"nodes/{pop}: node_type_id as in node_types.csv")
            print(f"  nodes/{pop}: {n} nodes, {types[pop]['model_template']}")
    with h5py.File(os.path.join(export, "network", "edges.h5"), "r") as f:
        for name, grp in f["edges"].items():
            table_path = os.path.join(run, "weights", f"{name}.csv")
            src, tgt = grp["source_node_id"], grp["target_node_id"]
            target = text(tgt.attrs["node_population"])
            w_mv, syn, delay = grp["0"]["weight_mv"][:], grp["0"]["syn_weight"][:], grp["0"]["delay"][:]
            check(src.dtype == np.uint64 and tgt.dtype == np.uint64, f"edges/{name}: node ids are uint64")
            template = types[target]["model_template"]
            if template.startswith("nest:iaf_psc_exp"):
                dyn = json.load(open(os.path.join(export, "components", "point_neuron_models_dir", types[target]["dynamics_params"])))
                check(np.array_equal(syn, w_mv * (c_m / dyn["tau_m"])), f"edges/{name}: syn_weight = weight_mv x C_m / tau_m")
            elif template == "nest:iaf_psc_delta":
                check(np.array_equal(syn, w_mv), f"edges/{name}: syn_weight = weight_mv (voltage jumps)")
            check(bool(np.all(delay >= 0)), f"edges/{name}: delays >= 0")
            if os.path.exists(table_path):
                t = read_csv(table_path)
                ours = sorted(zip(src[:].astype(np.float64), tgt[:].astype(np.float64), w_mv))
                theirs = sorted(zip(t["pre"], t["post"], t["weight_mv"]))
                check(ours == theirs, f"edges/{name}: (source, target, weight_mv) equal {table_path}")
            print(f"  edges/{name}: {len(src)} edges -> {target}")
    for fn in sorted(os.listdir(os.path.join(export, "inputs"))):
        pop = fn[:-3]
        with h5py.File(os.path.join(export, "inputs", fn), "r") as f:
            ids, ts = f["spikes"][pop]["node_ids"][:], f["spikes"][pop]["timestamps"][:]
        table = read_csv(os.path.join(run, "spikes", f"{pop}.csv"))
        check(np.array_equal(ids.astype(np.float64), table["neuron"]) and np.array_equal(ts, table["t_ms"]), f"inputs/{fn}: the run's spikes/{pop}.csv")
        print(f"  inputs/{fn}: {len(ts)} spikes")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
    print(f"{check.count} checks, {len(check.failures)} failed")
    sys.exit(1 if check.failures else 0)
