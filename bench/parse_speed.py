#!/usr/bin/env python3
"""Median time to parse and to analyse: the largest corpus file and generated files.

.venv/bin/python bench/parse_speed.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import dockerfile
from dockerls.analysis import analyze
from dockerls.syntax import parse

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def median_ms(fn: Callable[[str], object], text: str, runs: int) -> float:
    fn(text)  # warm up (lazy imports, tree-sitter language load)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    inputs: list[tuple[str, str]] = []
    files = [p for p in CORPUS.glob("*") if p.is_file() and p.suffix not in (".md", ".tsv")]
    if files:
        largest = max(files, key=lambda p: p.stat().st_size)
        inputs.append((f"corpus: {largest.name}", largest.read_text(encoding="utf-8")))
    for size in (200, 2_000, 10_000):
        inputs.append((f"generated: {size} lines", dockerfile(size)))
    print(f"{'input':62} {'lines':>6} {'parse ms':>9} {'analyze ms':>11}")
    for label, text in inputs:
        lines = text.count("\n") + 1
        p = median_ms(parse, text, args.runs)
        a = median_ms(analyze, text, args.runs)
        print(f"{label:62} {lines:6} {p:9.2f} {a:11.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
