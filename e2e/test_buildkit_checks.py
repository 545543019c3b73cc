"""BuildKit as the oracle for dockerls's correctness rules (issue 14, item 5).

- Every corpus file (../shared/corpus, never copied here) and every Dockerfile text the
  unit tests of the BuildKit-equivalent rules analyse goes through ``docker buildx build
  --call=check,format=json``; its warnings are matched with dockerls's findings check by
  check and instruction by instruction. A difference must have a documented reason
  (``buildkit_oracle.REASONS``, docs/correctness.md), or the test fails.
- Every text the unit tests of the builder-error rules (DKL501-DKL515) analyse is given
  to BuildKit: when dockerls calls it an error, BuildKit must reject it (at conversion,
  or when built for real); when BuildKit rejects a text dockerls finds no error in, that
  needs a documented reason too (``MISSED``).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockerls.analysis import analyze
from dockerls.config import Settings
from dockerls.syntax import Severity
from e2e import results
from e2e.buildkit_oracle import (
    REASONS,
    Case,
    Checked,
    Oracle,
    Tally,
    cache_root,
    compare,
    dockerls_side,
    load_cases,
    prepare,
    shell_tar,
)
from e2e.engine import Engine
from tests.corpus import CORPUS, SKIP_REASON

REPO = Path(__file__).resolve().parent.parent
ERROR_RULES = tuple(f"DKL{n}" for n in range(501, 516))

# Texts BuildKit rejects while dockerls reports no error, each with its documented reason
# (docs/correctness.md): a pattern of BuildKit's message -> why dockerls does not say error.
MISSED = {
    r"unknown flag: --(parents|security)": "frontend-version: the engine's built-in Dockerfile "
    "frontend predates Dockerfile 1.20, which made COPY --parents and RUN --security stable; "
    "dockerls follows the current frontend (what `# syntax=docker/dockerfile:1` fetches)",
    r"should not be blank|invalid reference format|empty platform value": "needs-build-arg: the "
    "FROM only builds with --build-arg; dockerls warns (InvalidDefaultArgInFrom, "
    "UndefinedArgInFrom), as BuildKit's own checks do",
    r'invalid signal: $|invalid mount target "/"|: \w+: err$': "base-image-env: a value made "
    "of a variable the file does not define (the base image may), unknown offline",
}

SECTION = "BuildKit checks"


def corpus_names() -> list[str]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    rows = manifest.read_text(encoding="utf-8").splitlines()[1:]
    return [row.split("\t")[0] for row in rows if row.strip()]


@pytest.fixture(scope="module")
def oracle(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Oracle:
    return Oracle(engine, tmp_path_factory.mktemp("oracle"), shell_tar(cache_root()))


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    """The texts the correctness and security unit tests analyse (recorded by running them
    in a subprocess: a pytest session can not run another in itself)."""
    done = subprocess.run(
        [sys.executable, "-m", "e2e.buildkit_oracle", "cases"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    found = load_cases(done.stdout)
    assert done.returncode == 0 and found, done.stdout[-2000:] + done.stderr[-2000:]
    return found


def _describe(where: str, side: str, check: str, line: int, detail: str) -> str:
    return f"{where}:{line}: {check} only in {side}: {detail[:160]}"


def _compare_all(
    oracle: Oracle, texts: Iterator[tuple[str, str]], tally: Tally, *, stops_ok: bool = False
) -> list[str]:
    """Check each (label, text); the unexplained differences, described. A text BuildKit
    does not convert has no complete set of warnings: a problem, unless ``stops_ok`` (the
    builder-error test judges those)."""
    problems: list[str] = []
    for label, text in texts:
        checked = oracle.check(text)
        if checked.error is not None:
            if not stops_ok:
                problems.append(f"{label}: BuildKit stops: {checked.error}")
            continue
        comparison = compare(checked.warnings, dockerls_side(text))
        tally.add(comparison)
        for side, item in comparison.unexplained:
            problems.append(_describe(label, side, item.check, item.first, item.detail))
    return problems


def _record(kind: str, tally: Tally) -> None:
    for row in tally.rows():
        results.record(SECTION, {"texts": kind, **row})
    if tally.reasons:
        reasons = ", ".join(f"`{key}` {n}" for key, n in sorted(tally.reasons.items()))
        results.note(SECTION, f"Explained differences in the {kind}, by reason: {reasons}.")


def test_corpus_checks_agree_with_buildkit(oracle: Oracle) -> None:
    names = corpus_names()
    if not names:
        pytest.skip(SKIP_REASON)
    tally = Tally()
    started = time.monotonic()
    texts = {n: prepare((CORPUS / n).read_bytes().decode("utf-8")) for n in names}
    oracle.prefetch(texts.values())
    problems = _compare_all(oracle, iter(texts.items()), tally)
    seconds = time.monotonic() - started
    _record(f"corpus ({len(names)} files)", tally)
    results.note(
        SECTION,
        f"`docker buildx build --call=check,format=json` against dockerls's BuildKit-equivalent "
        f"rules, matched per check and instruction; 'explained' counts the differences with a "
        f"documented reason (docs/correctness.md). Corpus: {len(names)} files in {seconds:.0f} s "
        "(one check each, empty local images under every base name).",
    )
    assert not problems, "\n".join(problems)


def test_unit_test_texts_agree_with_buildkit(oracle: Oracle, cases: list[Case]) -> None:
    codes = {c for case in cases for c in case.codes if c.startswith("DKL4") or c >= "DKL520"}
    texts = sorted({prepare(c.text) for c in cases if set(c.codes) & codes})
    oracle.prefetch(texts)
    tally = Tally()
    problems = _compare_all(oracle, ((repr(t)[:60], t) for t in texts), tally, stops_ok=True)
    _record(f"unit-test texts ({len(texts)})", tally)
    assert not problems, "\n".join(problems)


def _dockerls_errors(text: str) -> list[str]:
    findings = analyze(text, Settings(select=("all",))).findings
    return sorted({f.code for f in findings if f.severity == Severity.ERROR})


def _missed_reason(checked: Checked) -> str | None:
    for pattern, reason in MISSED.items():
        if checked.error is not None and re.search(pattern, checked.error):
            return reason.split(":")[0]
    return None


def test_builder_errors_are_what_buildkit_rejects(oracle: Oracle, cases: list[Case]) -> None:
    texts = sorted({prepare(c.text) for c in cases if set(c.codes) & set(ERROR_RULES)})
    oracle.prefetch(texts)
    agreed = accepted = 0
    failed_builds: list[str] = []
    missed: Counter[str] = Counter()
    problems: list[str] = []
    for text in texts:
        errors = _dockerls_errors(text)
        checked = oracle.check(text)
        if errors and checked.error is not None:
            agreed += 1
        elif errors:
            if not oracle.can_run:
                pytest.skip("e2e: no busybox for the case images (apt-get download failed)")
            built, last = oracle.build(text)
            if built:
                problems.append(f"{errors} but BuildKit builds it: {text!r}")
            else:
                failed_builds.append(f"{errors}: {last}")
        elif checked.error is not None:
            reason = _missed_reason(checked)
            if reason is None:
                problems.append(f"BuildKit rejects ({checked.error}), dockerls no error: {text!r}")
            else:
                missed[reason] += 1
        else:
            accepted += 1
    results.record(
        "Builder errors against BuildKit",
        {
            "unit-test texts": len(texts),
            "error, rejected by BuildKit's parse/conversion": agreed,
            "error, fails when built": len(failed_builds),
            "no error, BuildKit accepts": accepted,
            "no error, BuildKit rejects (explained)": ", ".join(
                f"{n} {reason}" for reason, n in sorted(missed.items())
            )
            or 0,
            "unexplained": len(problems),
        },
    )
    for failure in failed_builds:
        results.note("Builder errors against BuildKit", f"Failed when built: {failure}")
    assert not problems, "\n".join(problems)


def test_every_reason_is_documented() -> None:
    docs = (REPO / "docs" / "correctness.md").read_text(encoding="utf-8")
    keys = [*REASONS, *(reason.split(":")[0] for reason in MISSED.values())]
    assert [k for k in keys if f"`{k}`" not in docs] == []


def test_bare_run_cmd_entrypoint_build_and_are_no_error(oracle: Oracle) -> None:
    """BuildKit builds a RUN, CMD or ENTRYPOINT with nothing after it: dockerls warns (DKL008),
    it does not call it an error (it did, as DKL002, until this test built one)."""
    for keyword in ("RUN", "CMD", "ENTRYPOINT"):
        text = f"FROM busybox-like\n{keyword}\n"
        assert oracle.check(text).error is None
        if oracle.can_run:
            assert oracle.build(text)[0], keyword
        assert _dockerls_errors(text) == [], keyword
