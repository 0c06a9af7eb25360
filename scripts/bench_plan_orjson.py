#!/usr/bin/env python3
"""The orjson side of `keyform-bench plan-e2e` (docs/benchmarks/plan-apply.md): the time
orjson needs just to parse the bytes `keyform plan --no-refresh` reads — every manifest file
and the state file — with the bytes already in memory.

Usage:  pip install orjson
        python3 scripts/bench_plan_orjson.py WORKSPACE [RUNS]

WORKSPACE is a directory that `keyform-bench plan-e2e` generated (KEYFORM_BENCH_WORKSPACE=DIR
keeps it): WORKSPACE/integrations/*.json and WORKSPACE/keyform.state.json.

Prints the best and median of RUNS (default 15) timings of parsing all the files, as Python
runs by default (cyclic garbage collector on) and with the collector disabled during the
parse (orjson's best case), then one machine-readable last line for keyform-bench:

    orjson-seconds gc-on=<best> gc-off=<best>
"""
import gc
import glob
import os
import statistics
import sys
import time

import orjson

workspace = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
paths = sorted(glob.glob(os.path.join(workspace, "integrations", "**", "*.json"), recursive=True))
paths.append(os.path.join(workspace, "keyform.state.json"))
blobs = []
for path in paths:
    with open(path, "rb") as f:
        blobs.append(f.read())
total = sum(len(b) for b in blobs)


def parse_all():
    return [orjson.loads(b) for b in blobs]


def timings(collect):
    result = []
    for _ in range(runs):
        gc.collect()
        if not collect:
            gc.disable()
        start = time.perf_counter()
        parsed = parse_all()
        elapsed = time.perf_counter() - start
        gc.enable()
        del parsed
        result.append(elapsed)
    return result


print(f"files: {len(paths) - 1} manifests + keyform.state.json, {total} bytes ({total / 1e6:.2f} MB); "
      f"orjson {orjson.__version__}, Python {sys.version.split()[0]}")
best = {}
for collect in (True, False):
    t = timings(collect)
    best[collect] = min(t)
    label = f"orjson.loads of every file, gc {'on ' if collect else 'off'}"
    print(f"{label}: best {min(t) * 1000:.1f} ms, median {statistics.median(t) * 1000:.1f} ms (n = {runs})")
print(f"orjson-seconds gc-on={best[True]:.6f} gc-off={best[False]:.6f}")
