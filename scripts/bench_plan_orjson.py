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
parse (orjson's best case), in wall-clock time and in thread CPU time (steadier on a shared
machine), then one machine-readable last line (best of each) for keyform-bench:

    orjson-seconds gc-on=<wall> gc-off=<wall> cpu-gc-on=<cpu> cpu-gc-off=<cpu>
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
    """Wall-clock and thread CPU seconds of each of `runs` parses of every file."""
    wall, cpu = [], []
    for _ in range(runs):
        gc.collect()
        if not collect:
            gc.disable()
        start, start_cpu = time.perf_counter(), time.thread_time()
        parsed = parse_all()
        elapsed_cpu, elapsed = time.thread_time() - start_cpu, time.perf_counter() - start
        gc.enable()
        del parsed
        wall.append(elapsed)
        cpu.append(elapsed_cpu)
    return wall, cpu


print(f"files: {len(paths) - 1} manifests + keyform.state.json, {total} bytes ({total / 1e6:.2f} MB); "
      f"orjson {orjson.__version__}, Python {sys.version.split()[0]}")
best = {}
for collect in (True, False):
    wall, cpu = timings(collect)
    best[collect] = (min(wall), min(cpu))
    label = f"orjson.loads of every file, gc {'on ' if collect else 'off'}"
    print(f"{label}: wall best {min(wall) * 1000:.1f} ms, median {statistics.median(wall) * 1000:.1f} ms; "
          f"CPU best {min(cpu) * 1000:.1f} ms, median {statistics.median(cpu) * 1000:.1f} ms (n = {runs})")
print(f"orjson-seconds gc-on={best[True][0]:.6f} gc-off={best[False][0]:.6f} "
      f"cpu-gc-on={best[True][1]:.6f} cpu-gc-off={best[False][1]:.6f}")
