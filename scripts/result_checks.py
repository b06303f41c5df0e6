"""What check-python.py and check-sonata.py share: a counter of checks that prints each failure, and the reading of
chronoprop's CSV tables into float64 columns. Imported from beside them (Python puts a script's folder on its path).
"""
import csv

import numpy as np


class Checks:
    """check(ok, what): counts a check, and prints and keeps `what` when it failed."""

    def __init__(self):
        self.count = 0
        self.failures = []

    def __call__(self, ok, what):
        self.count += 1
        if not ok:
            self.failures.append(what)
            print("FAIL", what)


def read_csv(path):
    """The table at path, column by column: {header name: float64 array} (the CSVs print floats in shortest round-trip form)."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    return {name: np.array([float(r[k]) for r in body], dtype=np.float64) for k, name in enumerate(header)}


def text(v):
    """An HDF5 string attribute as str (h5py gives bytes or str, by how it was written)."""
    return v.decode() if isinstance(v, bytes) else str(v)
