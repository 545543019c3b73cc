"""Findings per rule before and after fix-all over a directory of Dockerfiles.

    .venv/bin/python -m scripts.fixall_report [DIRECTORY] [--unsafe]

DIRECTORY defaults to the shared corpus beside the repository. Every file in it is
read (README.md and MANIFEST.tsv excepted), analysed with the default settings
and no build context, fixed with ``fix_all`` in memory (nothing is written), and
analysed again. Prints a Markdown table: per rule, the findings before, the fixes
applied, the findings after; then the totals.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from dockerls.actions.fixall import fix_all
from dockerls.analysis import analyze

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SKIPPED = frozenset({"README.md", "MANIFEST.tsv"})


def report(directory: Path, *, unsafe: bool = False) -> str:
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    applied: Counter[str] = Counter()
    changed = files = 0
    for path in sorted(p for p in directory.iterdir() if p.is_file() and p.name not in SKIPPED):
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            print(f"skipped {path.name}: {error}", file=sys.stderr)
            continue
        files += 1
        before.update(f.code for f in analyze(text).findings)
        result = fix_all(text, unsafe=unsafe)
        applied.update(result.applied)
        changed += result.text != text
        after.update(f.code for f in analyze(result.text).findings)
    rows = ["| rule | before | fixes applied | after |", "| --- | ---: | ---: | ---: |"]
    for code in sorted(before | after):
        rows.append(f"| {code} | {before[code]} | {applied[code]} | {after[code]} |")
    rows.append(
        f"| **total** | **{before.total()}** | **{applied.total()}** | **{after.total()}** |"
    )
    mode = "safe and unsafe fixes" if unsafe else "safe fixes only"
    rows.append("")
    rows.append(f"{files} files, {changed} changed by fix-all ({mode}).")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--unsafe", action="store_true", help="apply unsafe fixes too")
    args = parser.parse_args(argv)
    if not args.directory.is_dir():
        print(f"no directory at {args.directory}", file=sys.stderr)
        return 2
    sys.stdout.write(report(args.directory, unsafe=args.unsafe))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
