#!/usr/bin/env python3
"""Median time to parse and to analyse (fresh), and the per-keystroke time of an
incremental ``Analyzer`` (p50/p95 over single-character edits spread over the file,
insert then delete, as lspbench sends them): the largest corpus file and generated files.
The µs/line columns show how each cost grows with the size of the file. Times are the
process's CPU time (steady on a loaded machine); ``--wall`` measures elapsed time.

.venv/bin/python bench/parse_speed.py [--runs 15] [--edits 40] [--sizes 200,2000,10000] [--wall]
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
from dockerls.analysis import Analyzer, analyze
from dockerls.syntax import parse

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
Clock = Callable[[], float]


def median_ms(fn: Callable[[str], object], text: str, runs: int, clock: Clock) -> float:
    fn(text)  # warm up (lazy imports, tree-sitter language load)
    times = []
    for _ in range(runs):
        start = clock()
        fn(text)
        times.append(clock() - start)
    return statistics.median(times) * 1000


def keystrokes(text: str, edits: int) -> list[str]:
    """Versions of ``text`` after single-character edits: an 'x' inserted in the middle
    of a non-blank line, then deleted again, at lines spread over the file."""
    lines = text.split("\n")
    versions = []
    for i in range(edits // 2):
        line = (i * 7919 + len(lines) // 3) % max(1, len(lines) - 1)
        while not lines[line].strip():
            line = (line + 1) % len(lines)
        column = len(lines[line]) // 2
        typed = [
            *lines[:line],
            lines[line][:column] + "x" + lines[line][column:],
            *lines[line + 1 :],
        ]
        versions += ["\n".join(typed), text]
    return versions


def keystroke_ms(text: str, edits: int, clock: Clock) -> tuple[float, float]:
    """p50 and p95 of re-analysing after each keystroke, with one ``Analyzer``."""
    analyzer = Analyzer()
    analyzer.analyze(text)
    times = []
    for version in keystrokes(text, edits):
        start = clock()
        analyzer.analyze(version)
        times.append(clock() - start)
    times.sort()
    return times[len(times) // 2] * 1000, times[min(len(times) - 1, int(len(times) * 0.95))] * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--sizes", default="200,2000,10000")
    ap.add_argument("--wall", action="store_true", help="elapsed instead of CPU time")
    args = ap.parse_args()
    clock: Clock = time.perf_counter if args.wall else time.process_time
    inputs: list[tuple[str, str]] = []
    files = [p for p in CORPUS.glob("*") if p.is_file() and p.suffix not in (".md", ".tsv")]
    if files:
        largest = max(files, key=lambda p: p.stat().st_size)
        inputs.append((f"corpus: {largest.name}", largest.read_text(encoding="utf-8")))
    for size in (int(s) for s in args.sizes.split(",") if s):
        inputs.append((f"generated: {size} lines", dockerfile(size)))
    print(
        f"{'input':40} {'lines':>6} {'parse ms':>9} {'analyze ms':>11} {'µs/line':>8} "
        f"{'key p50':>8} {'key p95':>8}"
    )
    for label, text in inputs:
        lines = text.count("\n") + 1
        p = median_ms(parse, text, args.runs, clock)
        a = median_ms(analyze, text, args.runs, clock)
        k50, k95 = keystroke_ms(text, args.edits, clock)
        print(
            f"{label[:40]:40} {lines:6} {p:9.2f} {a:11.2f} {a * 1000 / lines:8.1f} "
            f"{k50:8.2f} {k95:8.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
