#!/usr/bin/env python3
"""Measures orjson.loads on the document `keyform-bench parse` writes, for docs/benchmarks/json.md.

Usage:  swift build -c release --product keyform-bench && .build/release/keyform-bench parse
        pip install orjson && python3 scripts/bench_orjson.py [/tmp/keyform-bench-50mb.json]

Prints the best of several runs of orjson.loads (and, for reference, the standard library's
json.loads) on the same bytes, with the input already in memory, as keyform-bench does.
Each is measured as Python runs by default (cyclic garbage collector on: it runs many times
while millions of containers are built) and with the collector disabled during the call,
which is orjson's best case.
"""
import gc
import json
import sys
import time

import orjson

path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/keyform-bench-50mb.json"
with open(path, "rb") as f:
    data = f.read()
megabytes = len(data) / 1_000_000


def best(runs, body, collect):
    best_seconds = float("inf")
    for _ in range(runs):
        gc.collect()
        if not collect:
            gc.disable()
        start = time.perf_counter()
        result = body()
        seconds = time.perf_counter() - start
        gc.enable()
        best_seconds = min(best_seconds, seconds)
        del result
    return best_seconds


print(f"input: {path}, {len(data)} bytes ({megabytes:.1f} MB); orjson {orjson.__version__}, Python {sys.version.split()[0]}")
for name, runs, body in [
    ("orjson.loads", 9, lambda: orjson.loads(data)),
    ("json.loads (standard library)", 3, lambda: json.loads(data)),
]:
    for collect in (True, False):
        label = f"{name}, gc {'on' if collect else 'off'}"
        seconds = best(runs, body, collect)
        print(f"{label:44}{seconds * 1000:8.1f} ms {megabytes / seconds:8.0f} MB/s")
