#!/usr/bin/env python3
"""Score dockerls's rules against the reviewer tags of the shared corpus.

For each tag a rule covers: a file is a predicted positive when the rule reports
at least one finding in it, and a true positive when the reviewer tagged it.
Tags with a ``(nonfinal)`` suffix mark a problem only in a stage that does not
ship; size rules must stay quiet there, so they count as negatives.

    .venv/bin/python scripts/score_corpus.py [--corpus ../shared/corpus] [--files TAG]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from dockerls.analysis import analyze
from dockerls.context import CONTEXT_EMPTY

# Reviewer tag -> the rule code that detects it.
TAG_RULES: dict[str, str] = {
    "apt-no-recommends-missing": "DKL101",
    "apt-lists-not-removed": "DKL102",
    "apk-cache": "DKL103",
    "pip-cache": "DKL104",
    "full-base": "DKL201",
    "build-tools-in-final": "DKL202",
    "single-stage-build": "DKL203",
    "dev-deps-in-final": "DKL204",
    "npm-install": "DKL205",
    "copy-all-before-deps": "DKL301",
    "root-user": "DKL401",
    "latest-tag": "DKL402",
    "add-instead-of-copy": "DKL405",
}


def main() -> int:
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=default)
    ap.add_argument("--files", metavar="TAG", help="list false positives/negatives for TAG")
    args = ap.parse_args()
    manifest = args.corpus / "MANIFEST.tsv"
    if not manifest.is_file():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    rows = list(csv.DictReader(manifest.open(encoding="utf-8"), delimiter="\t"))
    counts = {tag: [0, 0, 0] for tag in TAG_RULES}  # tp, fp, fn
    wrong: dict[str, list[str]] = {tag: [] for tag in TAG_RULES}
    for row in rows:
        text = (args.corpus / row["file"]).read_bytes().decode("utf-8")
        codes = {f.code for f in analyze(text, None, CONTEXT_EMPTY).findings}
        tags = {t.strip() for t in row["notes"].split(",")}
        for tag, code in TAG_RULES.items():
            expected = tag in tags
            predicted = code in codes
            if expected and predicted:
                counts[tag][0] += 1
            elif predicted:
                counts[tag][1] += 1
                wrong[tag].append(f"FP {row['file']}")
            elif expected:
                counts[tag][2] += 1
                wrong[tag].append(f"FN {row['file']}")
    print(f"{'tag':28} {'rule':7} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}")
    for tag, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"{tag:28} {TAG_RULES[tag]:7} {tp:4} {fp:4} {fn:4} {precision:9.2f} {recall:7.2f}")
    if args.files:
        print("\n".join(wrong.get(args.files, [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
