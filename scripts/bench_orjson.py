#!/usr/bin/env python3
"""Measures orjson.loads on the document `keyform-bench parse` writes, for docs/benchmarks/json.md.

Usage:  swift build -c release --product keyform-bench && .build/release/keyform-bench parse
        pip install orjson && python3 scripts/bench_orjson.py [/tmp/keyform-bench-50mb.json]

Prints the best of several runs of orjson.loads (and, for reference, the standard library's
json.loads) on the same bytes, with the input already in memory, as keyform-bench does.
"""
import json
import sys
import time

import orjson

path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/keyform-bench-50mb.json"
with open(path, "rb") as f:
    data = f.read()
megabytes = len(data) / 1_000_000


def best(runs, body):
    best_seconds = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        result = body()
        best_seconds = min(best_seconds, time.perf_counter() - start)
        del result
    return best_seconds


print(f"input: {path}, {len(data)} bytes ({megabytes:.1f} MB); orjson {orjson.__version__}, Python {sys.version.split()[0]}")
for name, runs, body in [
    ("orjson.loads", 9, lambda: orjson.loads(data)),
    ("json.loads (standard library)", 3, lambda: json.loads(data)),
]:
    seconds = best(runs, body)
    print(f"{name:44}{seconds * 1000:8.1f} ms {megabytes / seconds:8.0f} MB/s")
