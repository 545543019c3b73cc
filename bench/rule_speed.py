#!/usr/bin/env python3
"""Time each rule's check alone (median over runs, shared views such as shell parses
warmed first) over generated files and the largest corpus files: the hot rules first.

.venv/bin/python bench/rule_speed.py [--runs 5] [--top 20] [--sizes 200,2000,10000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import dockerfile
from dockerls.context import CONTEXT_EMPTY
from dockerls.graph import build_graph
from dockerls.rules.engine import Rule, RuleContext
from dockerls.rules.registry import all_rules
from dockerls.syntax import parse

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def rule_times(text: str, runs: int) -> dict[str, float]:
    """Milliseconds per rule: a context whose shell parses and memos are already made
    (as they are after the first rules ran), so each figure is the rule's own work."""
    doc = parse(text)
    graph = build_graph(doc)
    warm = RuleContext(doc, graph, CONTEXT_EMPTY)
    rules: tuple[Rule, ...] = all_rules()
    for r in rules:
        list(r.check(warm))
    times: dict[str, list[float]] = {r.code: [] for r in rules}
    for _ in range(runs):
        for r in rules:
            ctx = RuleContext(doc, graph, CONTEXT_EMPTY, carried=warm.parsed_scripts())
            ctx._scripts.update(warm._scripts)
            start = time.process_time()
            list(r.check(ctx))
            times[r.code].append(time.process_time() - start)
    return {code: statistics.median(t) * 1000 for code, t in times.items()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--sizes", default="200,2000,10000")
    ap.add_argument("--corpus", type=int, default=2, help="how many of the largest files")
    args = ap.parse_args()
    inputs: list[tuple[str, str]] = []
    files = [p for p in CORPUS.glob("*") if p.is_file() and p.suffix not in (".md", ".tsv")]
    for p in sorted(files, key=lambda p: p.stat().st_size, reverse=True)[: args.corpus]:
        inputs.append((f"corpus {p.name}", p.read_text(encoding="utf-8")))
    for size in (int(s) for s in args.sizes.split(",") if s):
        inputs.append((f"generated {size}", dockerfile(size)))
    for label, text in inputs:
        times = rule_times(text, args.runs)
        total = sum(times.values())
        lines = text.count("\n") + 1
        print(f"== {label}: {lines} lines, all rules {total:.2f} ms")
        for code, ms in sorted(times.items(), key=lambda kv: -kv[1])[: args.top]:
            print(f"   {code}  {ms:8.3f} ms  {100 * ms / total:5.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
