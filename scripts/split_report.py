"""Where the "Split into build and runtime stages" refactoring is offered in the corpus.

For every corpus file: whether DKL203 (single-stage build) fires, whether any finding
that calls for a split fires (DKL201-DKL204), and then each offered split (ecosystem,
runtime image, estimated size before and after) or the reason none is offered. Each
offered split is applied and checked: BuildKit's parser reads it (the ``dockerfile``
package), its final stage keeps the original final stage's CMD, ENTRYPOINT and EXPOSE
(a distroless runtime's CMD may lose its leading program), and no RUN of it builds
(DKL203's notion of a build). A summary with counts ends the report: offers per
ecosystem, the share of DKL203 files with an offered split, the checks, and the
refusals per reason.

    .venv/bin/python scripts/split_report.py [--corpus DIR] [--only-offered]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

import dockerfile

from dockerls.actions.split import SplitAction, split_stage, why_not
from dockerls.analysis import analyze
from dockerls.context import CONTEXT_EMPTY
from dockerls.edits import apply_edits
from dockerls.graph import build_graph
from dockerls.rules.build_state import steps
from dockerls.rules.engine import RuleContext
from dockerls.rules.stages.build_commands import build_of
from dockerls.rules.stages.run_commands import step_runs
from dockerls.syntax import Stage, parse

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TRIGGERS = frozenset({"DKL201", "DKL202", "DKL203", "DKL204"})


def _size(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


def _kept(stage: Stage) -> dict[str, list[str]]:
    """The CMD, ENTRYPOINT and EXPOSE of a stage, by name, as written (after the keyword)."""
    found: dict[str, list[str]] = {"CMD": [], "ENTRYPOINT": [], "EXPOSE": []}
    for ins in stage.instructions:
        if ins.name in found:
            found[ins.name].append(ins.rest.text if ins.rest is not None else "")
    return found


def _check(text: str, stage: Stage, action: SplitAction) -> str | None:
    """What is wrong with the split applied to ``text`` (None: nothing)."""
    result = apply_edits(text, action.edits)
    try:
        dockerfile.parse_string(result)
    except dockerfile.GoParseError as error:
        return f"BuildKit's parser rejects it: {error}"
    doc = parse(result)
    final = doc.stages[-1]
    before, after = _kept(stage), _kept(final)
    if before["EXPOSE"] != after["EXPOSE"] or before["ENTRYPOINT"] != after["ENTRYPOINT"]:
        return "the final stage lost or changed an EXPOSE or ENTRYPOINT"
    if len(before["CMD"]) != len(after["CMD"]) or any(
        not b.replace(" ", "").endswith(a.replace(" ", "").removeprefix("[").lstrip('"')) and b != a
        for b, a in zip(before["CMD"], after["CMD"], strict=True)
    ):
        return "the final stage lost or changed its CMD"
    ctx = RuleContext(doc, build_graph(doc), CONTEXT_EMPTY)
    for step in steps(ctx, final):
        for run in step_runs(ctx, step):
            build = build_of(run, None)
            if build is not None and not build.native:
                return f"the final stage builds (`{build.text}`)"
    return None


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
    checked = failed = 0
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
                problem = _check(text, stage, action)
                checked += 1
                failed += problem is not None
                print(f"      check: {problem or 'ok'}")
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
    print(
        f"offered splits checked: {checked}, {failed} failing (BuildKit's parser, CMD/"
        "ENTRYPOINT/EXPOSE kept, no build step in the final stage)"
    )
    for reason, count in reasons.most_common():
        print(f"  {count:3d}  {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
