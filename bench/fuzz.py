#!/usr/bin/env python3
"""The long fuzz run: the properties of ``tests/test_fuzz_fixes.py`` over many more files.

Every generated Dockerfile goes through ``check_text`` (every fix of every finding,
fix-all safe and unsafe, each split of the first stage, each reorder). Unlike the
test, a broken promise does not stop the run: all of them are collected, grouped
by what broke (the fix or refactor, and the kind of problem), and printed with how
often each happened and the shortest file that shows it. An exception counts as a
problem too. Problems the suite already knows about (``KNOWN`` in the test module)
are marked as such.

    .venv/bin/python bench/fuzz.py [--examples 2000] [--seed N] [--strict]

Exit status 0 (the findings are a report), or with ``--strict`` 1 when anything
new was found.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dockerls.analysis import analyze
from tests.test_fuzz_fixes import check_text, dockerfiles, known_bug


def kind(problem: str) -> str:
    """What broke, without the details that vary from file to file."""
    what, _, detail = problem.partition(": ")
    detail = re.sub(r"\b\d+\b", "N", detail)
    detail = re.sub(r"\[.*\]|\{.*\}|'.*'", "…", detail)
    return f"{what}: {detail}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=2000, help="generated files (default 2000)")
    ap.add_argument("--seed", type=int, help="hypothesis seed, to repeat a run")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a new problem is found")
    args = ap.parse_args()

    seen: Counter[str] = Counter()
    shortest: dict[str, str] = {}
    stats: Counter[str] = Counter()

    def record(key: str, text: str) -> None:
        seen[key] += 1
        if key not in shortest or len(text) < len(shortest[key]):
            shortest[key] = text

    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(dockerfiles())
    def run(text: str) -> None:
        stats["files"] += 1
        stats["findings with a fix"] += sum(bool(f.fixes) for f in analyze(text).findings)
        try:
            problems = check_text(text)
        except Exception as exc:  # a crash is a finding too; keep going
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            problems = [f"raised {type(exc).__name__} at {where}: {exc}"]
        for problem in problems:
            record(kind(problem), text)
            stats["broken promises"] += 1

    if args.seed is not None:
        run = seed(args.seed)(run)
    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start

    print(
        f"{stats['files']} files, {stats['findings with a fix']} findings with a fix, "
        f"{elapsed:.0f} s; {stats['broken promises']} broken promises, {len(seen)} kinds"
    )
    new = 0
    for key, count in seen.most_common():
        text = shortest[key]
        known = known_bug(key, text)
        new += known is None
        print(f"\n{count:5}x {key}" + (f"\n       known: {known}" if known else ""))
        print(f"       shortest file ({len(text)} characters): {text!r}")
    return 1 if args.strict and new else 0


if __name__ == "__main__":
    sys.exit(main())
