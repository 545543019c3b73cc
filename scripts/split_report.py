"""Where the "Split into build and runtime stages" refactoring is offered in the corpus.

For every corpus file: whether DKL203 (single-stage build) fires, whether any finding
that calls for a split fires (DKL201-DKL204), and then each offered split (ecosystem,
runtime image, estimated size before and after) or the reason none is offered.
A summary with counts ends the report: offers per ecosystem, the share of DKL203 files
with an offered split, and the refusals per reason.

    .venv/bin/python scripts/split_report.py [--corpus DIR] [--only-offered]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from dockerls.actions.split import split_stage, why_not
from dockerls.analysis import analyze
from dockerls.context import CONTEXT_EMPTY
from dockerls.graph import build_graph
from dockerls.rules.engine import RuleContext
from dockerls.syntax import parse

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TRIGGERS = frozenset({"DKL201", "DKL202", "DKL203", "DKL204"})


def _size(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


def _manifest(corpus: Path) -> dict[str, str]:
    path = corpus / "MANIFEST.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["file"]: row.get("ecosystem", "") for row in csv.DictReader(handle, delimiter="\t")
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--only-offered", action="store_true")
    args = parser.parse_args(argv)
    corpus: Path = args.corpus
    if not corpus.is_dir():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    tags = _manifest(corpus)
    files = sorted(
        p for p in corpus.iterdir() if p.is_file() and p.name not in ("README.md", "MANIFEST.tsv")
    )
    offered: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    flagged = dkl203 = dkl203_offered = 0
    for path in files:
        text = path.read_bytes().decode("utf-8")
        codes = {f.code for f in analyze(text).findings}
        doc = parse(text)
        if not doc.stages:
            continue
        ctx = RuleContext(doc, build_graph(doc), CONTEXT_EMPTY)
        stage = doc.stages[-1]
        found = split_stage(ctx, stage)
        fires = "DKL203" in codes
        dkl203 += fires
        called = bool(codes & TRIGGERS)
        flagged += called
        if args.only_offered and not found:
            continue
        head = f"{path.name}  [{tags.get(path.name, '?')}]  DKL203={'yes' if fires else 'no'}"
        head += f"  triggers={','.join(sorted(codes & TRIGGERS)) or '-'}"
        print(head)
        if found:
            offered[found[0].ecosystem] += 1
            dkl203_offered += fires
            for action in found:
                print(
                    f"    offered  {action.ecosystem:7} {action.runtime_image:48} "
                    f"{_size(action.size_before_mb)} -> {_size(action.size_after_mb)} MB "
                    "(base images, uncompressed)"
                )
        elif called:
            reason = " ".join(why_not(ctx, stage))
            reasons[reason.split(" on line")[0][:70]] += 1
            print(f"    not offered: {reason}")
        else:
            print("    not offered: no finding calls for a split (none of DKL201-DKL204)")
    print()
    print(
        f"files {len(files)}; DKL203 fires in {dkl203}; a split is called for in {flagged}; "
        f"offered in {sum(offered.values())} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(offered.items())) or 'none'})"
    )
    share = f" ({100 * dkl203_offered / dkl203:.0f} %)" if dkl203 else ""
    print(f"DKL203 files with an offered split: {dkl203_offered} of {dkl203}{share}")
    for reason, count in reasons.most_common():
        print(f"  {count:3d}  {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
