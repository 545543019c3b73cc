"""What every fix promises, checked on every file of the shared corpus.

1. After each single safe fix BuildKit's own parser still parses the file, and the
   instruction count changes only by what the fix means to (``instruction_delta``:
   its whole-line edits removing or adding instructions; most fixes mean 0).
2. Re-analysing no longer shows the fixed finding (same rule, same message: positions
   shift), and no more findings of any other rule than before. (A fix may leave a
   different finding of its own rule: adding ``--no-cache`` to ``apk add`` makes
   DKL103 point at the ``apk update`` before it instead.)
3. Fix-all is idempotent: running it on its own result changes nothing.
4. Lines a fix does not target are byte-identical afterwards (comments, indentation,
   line breaks, continuation style); fix-all keeps the BOM and the line-break style.
5. hadolint, run as a program before and after fix-all, reports no finding code more
   often than before.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from dockerls.actions.fixall import fix_all, instruction_delta
from dockerls.analysis import analyze
from dockerls.edits import apply_edits
from dockerls.findings import Finding, Fix
from tests.corpus import corpus_params, read

dockerfile = pytest.importorskip("dockerfile", reason="the BuildKit parser wheel is a dev extra")

HADOLINT = Path(sys.executable).parent / "hadolint"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_BREAK = re.compile(r"\r\n|\r|\n")


def buildkit_count(text: str) -> int | None:
    """BuildKit's instruction count, or None when it rejects the text."""
    try:
        return len(dockerfile.parse_string(text))
    except dockerfile.GoParseError:
        return None


def single_fixes(findings: tuple[Finding, ...]) -> list[tuple[Finding, Fix]]:
    return [(f, fix) for f in findings for fix in f.fixes if fix.safe and fix.edits]


def codes(findings: tuple[Finding, ...]) -> Counter[str]:
    return Counter(f.code for f in findings)


def untouched_lines_kept(before: str, after: str, fix: Fix) -> list[str]:
    """The lines outside the fix's edits that changed (empty when all are kept)."""
    old = _LINE.findall(before)
    new = _LINE.findall(after)
    touched: set[int] = set()
    shift: list[tuple[int, int]] = []  # (first old line after the edit, line delta)
    for edit in fix.edits:
        start, end = edit.span.start, edit.span.end
        touched.update(range(start.line, end.line + 1))
        delta = len(_BREAK.findall(edit.new_text)) - (end.line - start.line)
        shift.append((end.line + 1, delta))
    changed = []
    for i, line in enumerate(old):
        if i in touched:
            continue
        j = i + sum(delta for first, delta in shift if i >= first)
        if j >= len(new) or new[j] != line:
            changed.append(f"line {i + 1}: {line!r} became {new[j] if j < len(new) else None!r}")
    return changed


@pytest.mark.parametrize("path", corpus_params())
def test_each_safe_fix_keeps_its_promises(path: Path) -> None:
    text = read(path)
    analysis = analyze(text)
    before_count = buildkit_count(text)
    before_codes = codes(analysis.findings)
    before_same = Counter((f.code, f.message) for f in analysis.findings)
    problems = []
    for finding, fix in single_fixes(analysis.findings):
        where = f"{finding.code} at {finding.span.start} ({fix.title})"
        fixed = apply_edits(text, fix.edits)
        # 1. BuildKit still parses it, with the instructions the fix means to have.
        if before_count is not None:
            after_count = buildkit_count(fixed)
            expected = before_count + instruction_delta(analysis.document, fix)
            if after_count != expected:
                problems.append(f"{where}: BuildKit counts {after_count}, expected {expected}")
        # 2. The finding is gone and no other rule finds more.
        after_findings = analyze(fixed).findings
        after_codes = codes(after_findings)
        same = Counter((f.code, f.message) for f in after_findings)[(finding.code, finding.message)]
        if same >= before_same[(finding.code, finding.message)]:
            problems.append(f"{where}: still reported")
        grown = {c: n for c, n in (after_codes - before_codes).items() if c != finding.code}
        if grown:
            problems.append(f"{where}: new findings {grown}")
        # 4. Every line it does not target is unchanged.
        problems.extend(f"{where}: {c}" for c in untouched_lines_kept(text, fixed, fix))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", corpus_params())
def test_fix_all_is_idempotent_and_keeps_the_style(path: Path) -> None:
    text = read(path)
    result = fix_all(text)
    assert fix_all(result.text).text == result.text
    assert result.rejected == {}, "a fix was dropped for breaking the parse"
    assert result.text.startswith("\ufeff") == text.startswith("\ufeff")
    assert set(_BREAK.findall(result.text)) <= set(_BREAK.findall(text)) | {"\n"}
    if set(_BREAK.findall(text)) == {"\r\n"}:
        assert set(_BREAK.findall(result.text)) == {"\r\n"}
    before = buildkit_count(text)
    if before is not None:
        assert buildkit_count(result.text) is not None


# hadolint findings that a fix legitimately moves from one code to another.
# DL3020 "Use COPY instead of ADD" becomes DL3045 "COPY to a relative destination
# without WORKDIR" when DKL405 turns such an ADD into COPY: hadolint checks the
# relative destination for COPY only, though ADD had the same one all along.
MOVES = {"DL3045": "DL3020"}


def hadolint_codes(path: Path) -> Counter[str]:
    out = subprocess.run(
        [str(HADOLINT), "--no-fail", "--format", "json", str(path)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    return Counter(item["code"] for item in json.loads(out.stdout or b"[]"))


@pytest.mark.skipif(
    not HADOLINT.exists() and shutil.which("hadolint") is None, reason="hadolint is not installed"
)
@pytest.mark.parametrize("path", corpus_params())
def test_fix_all_introduces_no_hadolint_finding(path: Path, tmp_path: Path) -> None:
    text = read(path)
    result = fix_all(text)
    if result.text == text:
        return  # nothing changed: nothing to compare
    fixed = tmp_path / path.name
    fixed.write_bytes(result.text.encode("utf-8"))
    before, after = hadolint_codes(path), hadolint_codes(fixed)
    introduced = after - before
    for new, old in MOVES.items():
        # A finding that moved: as many of ``new`` allowed as ``old`` went away.
        introduced[new] -= min(introduced[new], (before - after)[old])
    introduced = +introduced
    assert not introduced, f"fix-all made hadolint report more of {dict(introduced)}"
